// Facts about the machine octoslack runs on, for message templates and the footer: host name,
// addresses, and the CPU temperature a Raspberry Pi exposes. Gathered off the serial path (the
// old plugin did a DNS lookup per message on the serial thread and made prints stutter).
import { readFile } from 'node:fs/promises';
import { lookup, lookupService } from 'node:dns/promises';
import os from 'node:os';

export interface HostInfo {
  hostname: string;
  fqdn?: string;
  ipAddresses: string[];
  cpuTempC?: number;
  user?: string;
  version: string;
}

export const THERMAL_ZONE = '/sys/class/thermal/thermal_zone0/temp';

/** Non-loopback IPv4 addresses. */
export function ipAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

/** The CPU temperature in °C from sysfs (millidegrees), or undefined where there is none. */
export async function cpuTemperature(file = THERMAL_ZONE): Promise<number | undefined> {
  try {
    const milli = Number((await readFile(file, 'utf8')).trim());
    return Number.isFinite(milli) ? Math.round(milli / 100) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** The host's name as the resolver knows it (forward, then reverse lookup), within 2 s. */
async function fullyQualified(hostname: string): Promise<string | undefined> {
  if (hostname.includes('.')) return hostname;
  const attempt = (async () => {
    const { address } = await lookup(hostname);
    const { hostname: reverse } = await lookupService(address, 0);
    return reverse.includes('.') ? reverse : undefined;
  })().catch(() => undefined);
  const timeout = new Promise<undefined>((r) => setTimeout(() => r(undefined), 2000).unref());
  return Promise.race([attempt, timeout]);
}

export async function gatherHostInfo(version: string, opts: { includeCpuTemp: boolean }): Promise<HostInfo> {
  const hostname = os.hostname();
  const [fqdn, cpuTempC] = await Promise.all([fullyQualified(hostname), opts.includeCpuTemp ? cpuTemperature() : undefined]);
  let user: string | undefined;
  try {
    user = os.userInfo().username;
  } catch {
    user = undefined;
  }
  return { hostname, fqdn, ipAddresses: ipAddresses(), cpuTempC, user, version };
}
