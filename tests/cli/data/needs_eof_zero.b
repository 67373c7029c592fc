needs EOF to store 0: echoes its input until a read finds 0
,[.,]
