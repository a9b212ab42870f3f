"""Record parts a register switches on in its declaration (app.core.registry.Register):

- ``timeline`` (app.core.parts.timeline): events with when, who, what, the state before and
  after and a note; every lifecycle transition writes one;
- ``attachments`` (app.core.parts.attachments): files kept with a record — scoped upload and
  download, a size limit, the type read from the content, random stored names;
- ``lifecycle`` (app.core.parts.lifecycle): states and a table of transitions, each run as one
  command (state → who → what it needs → the register's ``_do_<action>`` → event and history);

and the record page (app.core.parts.views, ``puwan/record_show.html``) that shows them with the
panels other packages add (the SLA clocks add theirs). The kit (app.core.kit) gives a register
the routes of the parts it declares.

Timelines and attachments are tables of their register, made by a factory
(``timeline_for(WorkOrder, table="work_order_event", fk="order_id")``), not one table shared by
every register: each keeps a real foreign key to its record — the database removes them with it
and refuses an event of a record that does not exist — and the per-register indexes, the
generator and the benchmark of a million orders keep working on the tables they know.
"""
