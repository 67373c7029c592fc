needs wrapping cells of 8 bits: 255 times 255 iterations there
-[>-[-]<-]
then A
++++++++[>++++++++<-]>+.
