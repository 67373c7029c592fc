hello world for jitbf
prints the classic greeting followed by a newline
written by hand for jitbf; uses four work cells and one multiplication loop

eight times add 9 and 14 and 6 and 4 to the cells on the right
++++++++[>+++++++++>++++++++++++++>++++++>++++<<<<-]
cells are now 72 112 48 32
>.                  H
>-----------.       e
+++++++..           l l
+++.                o
>----.              comma
>.                  space
<<<+++++++++++++++. W
>.                  o
+++.                r
------.             l
--------.           d
>>+.                exclamation mark
>++++++++++.        newline (from a fresh cell)
