This file holds no commands at all
only prose and digits 0123 and symbols like !#$%&*()/?
