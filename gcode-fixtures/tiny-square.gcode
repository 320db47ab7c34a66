; tiny-square.gcode: hand-written by the octoslack project for fast tests (not slicer output).
; A 10 mm square, two loops a layer, three 0.2 mm layers at the bed centre (110,110); low
; temperatures so the virtual printer heats in moments. Absolute E with a G92 E0 reset at
; each layer change, 1.75 mm filament. Layer markers, M73 and the closing time estimate
; follow PrusaSlicer's conventions (the estimate is worked out by hand).

M73 P0 R1
M140 S35 ; bed heat, no wait
M104 S60 ; nozzle heat, no wait
G28 ; home all axes
M190 S35 ; wait for bed
M109 S60 ; wait for nozzle
G90 ; absolute positioning
M82 ; absolute E
G92 E0
;LAYER_CHANGE
;Z:0.2
;HEIGHT:0.2
G1 Z0.2 F600
G1 X105 Y105 F6000
;TYPE:External perimeter
G1 X115 Y105 E0.37418 F900
G1 X115 Y115 E0.74835
G1 X105 Y115 E1.12253
G1 X105 Y105 E1.49671
G1 X105.4 Y105.4 F6000
;TYPE:Perimeter
G1 X114.6 Y105.4 E1.84095 F900
G1 X114.6 Y114.6 E2.18519
G1 X105.4 Y114.6 E2.52943
G1 X105.4 Y105.4 E2.87368
M73 P33 R0
;LAYER_CHANGE
;Z:0.4
;HEIGHT:0.2
G1 E1.87368 F2400 ; retract
G92 E0
G1 Z0.4 F600
G1 X105 Y105 F6000
G1 E1 F2400 ; unretract
M106 S255 ; fan on
;TYPE:External perimeter
G1 X115 Y105 E1.37418 F1500
G1 X115 Y115 E1.74835
G1 X105 Y115 E2.12253
G1 X105 Y105 E2.49671
G1 X105.4 Y105.4 F6000
;TYPE:Perimeter
G1 X114.6 Y105.4 E2.84095 F1800
G1 X114.6 Y114.6 E3.18519
G1 X105.4 Y114.6 E3.52943
G1 X105.4 Y105.4 E3.87368
M73 P66 R0
;LAYER_CHANGE
;Z:0.6
;HEIGHT:0.2
G1 E2.87368 F2400 ; retract
G92 E0
G1 Z0.6 F600
G1 X105 Y105 F6000
G1 E1 F2400 ; unretract
;TYPE:External perimeter
G1 X115 Y105 E1.37418 F1500
G1 X115 Y115 E1.74835
G1 X105 Y115 E2.12253
G1 X105 Y105 E2.49671
G1 X105.4 Y105.4 F6000
;TYPE:Perimeter
G1 X114.6 Y105.4 E2.84095 F1800
G1 X114.6 Y114.6 E3.18519
G1 X105.4 Y114.6 E3.52943
G1 X105.4 Y105.4 E3.87368
;TYPE:Custom
M73 P100 R0
M104 S0 ; nozzle heater off
M140 S0 ; bed heater off
M107 ; fan off
G1 Z5.6 F600 ; lift
G1 X0 Y200 F6000 ; present the print
M84 ; motors off
; filament used [mm] = 8.62
; estimated printing time (normal mode) = 15s
