"""Operators: one module per operator, all behind ``graftpy.operators.base.Operator``."""
