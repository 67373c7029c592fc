A program whose hottest loop is known for the tests of profiling: the loop
on line 7 runs 20 times on each of the 64 turns of the loop around it and
counts down by two so that no pass turns it into anything but a loop
++++++++[>++++++++<-]>
[
  >++++++++++++++++++++++++++++++++++++++++
  [-->+<]
  >[-]<<-
]
