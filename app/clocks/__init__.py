"""SLA clocks attached to records of any register: storage, commands, sweeper, hooks.

The arithmetic is the pure engine in app.sla; this package stores clocks, records every state
transition once (an outbox), and runs the built-in listeners and the blinker hooks after commit.
"""
