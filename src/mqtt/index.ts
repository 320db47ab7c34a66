// MQTT and Home Assistant: see bridge.ts (what is published when), topics.ts (where),
// state-payload.ts and discovery.ts (what), commands.ts (what is obeyed).
export { MqttBridge, type BridgeOptions, type BridgePrinter, type MqttLog } from './bridge.js';
export { startMqtt, clientOptions, defaultClientId, type StartMqttOptions } from './connect.js';
export { slugOf, printerTopics, bridgeAvailabilityTopic } from './topics.js';
