"""Demo and benchmark data: the demo data set a newcomer judges the platform by (``dataset``,
`run.py --demo`, `flask seed --demo`) and the bulk generator of millions of rows (``generator``,
`flask demo generate`, bench/).

Composition code about particular registers (enterprises and the work orders that name them),
their intake and their clocks: it stands above them all, and nothing of the platform imports it.
"""
