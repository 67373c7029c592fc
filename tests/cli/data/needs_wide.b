needs cells wider than 8 bits: prints 300 zero bytes (44 with cells of 8 bits)
++++++++++[>++++++++++++++++++++++++++++++<-]>[>.<-]
