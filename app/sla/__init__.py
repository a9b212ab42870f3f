"""The SLA engine: pure functions over a working-day calendar (no Flask, no SQLAlchemy).

calendar.py  which days are working days in Asia/Shanghai (China's calendar with 调休, overrides)
policies.py  a clock's promise as data: amount + unit, warning threshold, pausing states
clock.py     due_at(start, policy, calendar) and the state of a clock at `now`
"""
