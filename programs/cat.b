cat for jitbf: copies every input byte to the output until end of input
written by hand for jitbf
needs eof mode zero or unchanged: the cell is cleared before each read
so both modes leave a zero at end of input (a zero byte also stops it)

,[.[-],]
