"""Child rows (one-to-many) through the one write path: a child a write adds is checked — its
own links like the record's, and a child taken from another record needs the right to write
that record — and the record's history names the child rows before and after.

No register has editable child rows yet, so a folder of sheets stands in for one: two tables
of this test's own (not the platform's models), written by the platform's ``RecordCommands``
as ``ipb``, the way a form or the REST API would hand it the rows (loaded by id, unscoped).
"""
from __future__ import annotations

import pytest
from sqlalchemy import Column, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import declarative_base, relationship

from app.core.commands import RecordCommands
from app.core.exceptions import ValidationFailed
from app.core.models import Department, RecordChange
from app.extensions import db
from app.registers.enterprises.models import Enterprise
from tests.core.contract.conftest import as_user
from tests.factories import EnterpriseFactory, department_id

Base = declarative_base(metadata=MetaData())


class Folder(Base):
    __tablename__ = "contract_folder"
    id = Column(Integer, primary_key=True)
    name_zh = Column(String(50), nullable=False)
    department_id = Column(Integer, ForeignKey(Department.__table__.c.id), nullable=False)
    department = relationship(Department)
    sheets = relationship("Sheet", back_populates="folder", cascade="all, delete-orphan",
                          order_by="Sheet.id", info={"label": "Sheets"})

    @property
    def owning_department_id(self):
        return self.department.id if self.department is not None else self.department_id

    @classmethod
    def visible_clause(cls, scope):
        return cls.department_id.in_(scope.read or ())


class Sheet(Base):
    __tablename__ = "contract_sheet"
    id = Column(Integer, primary_key=True)
    folder_id = Column(Integer, ForeignKey("contract_folder.id"))
    folder = relationship(Folder, back_populates="sheets")
    title = Column(String(50), nullable=False)
    enterprise_id = Column(Integer, ForeignKey(Enterprise.__table__.c.id))
    enterprise = relationship(Enterprise)

    def __str__(self) -> str:
        return self.title


@pytest.fixture(scope="module")
def tables(app):
    with app.app_context():
        Base.metadata.create_all(db.engine)
    yield
    with app.app_context():
        Base.metadata.drop_all(db.engine)


@pytest.fixture
def folders(app, tables):
    """Make folders (with sheets) directly; afterwards remove them before the records they
    link (the suite's clean-up deletes every register's records)."""
    def make(code: str, *titles: str, enterprise: int | None = None) -> int:
        with app.app_context():
            folder = Folder(name_zh=f"{code}文件夹", department_id=department_id(code),
                            sheets=[Sheet(title=t, enterprise_id=enterprise) for t in titles])
            db.session.add(folder)
            db.session.commit()
            pk = folder.id
            db.session.remove()
        return pk

    yield make
    with app.app_context():
        db.session.query(Sheet).delete()
        db.session.query(Folder).delete()
        db.session.commit()


@pytest.fixture
def ipb(app):
    context = as_user(app, "ipb")
    yield db.session
    db.session.remove()
    context.pop()


def _update(session, pk, change) -> None:
    """Edit folder ``pk`` as the form or REST would: take ``before``, change, save."""
    commands = RecordCommands(Folder)
    folder = session.get(Folder, pk)
    before = commands.before(folder)
    change(folder)
    commands.update(folder, before)


def _sheets(app, pk) -> list[str]:
    with app.app_context():
        titles = [s.title for s in db.session.get(Folder, pk).sheets]
        db.session.remove()
    return titles


def _history(app, pk) -> list[tuple]:
    with app.app_context():
        rows = [(c.action, c.before, c.after) for c in db.session.query(RecordChange)
                .filter_by(table_name="contract_folder", record_id=pk).order_by(RecordChange.id)]
        db.session.remove()
    return rows


def _refused(session, pk, change) -> dict:
    with pytest.raises(ValidationFailed) as refused:
        _update(session, pk, change)
    assert refused.value.status == 422
    return {k: [str(m) for m in v] for k, v in refused.value.errors.items()}


def test_a_new_child_linking_another_departments_record_is_refused(app, folders, ipb):
    theirs = EnterpriseFactory(app).create("EDB")
    own = folders("IPB")
    errors = _refused(ipb, own, lambda f: f.sheets.append(
        Sheet(title="他部门企业的表", enterprise_id=theirs)))
    assert errors == {"sheets": ["该记录属于其他部门。"]}  # (translated: the reader's language)
    assert _sheets(app, own) == [] and _history(app, own) == []


def test_a_new_child_is_recorded_in_the_records_history(app, folders, ipb):
    mine = EnterpriseFactory(app).create("IPB")
    own = folders("IPB", "甲")
    _update(ipb, own, lambda f: f.sheets.append(Sheet(title="乙", enterprise_id=mine)))
    [(action, before, after)] = _history(app, own)
    assert action == "update"
    assert [s["label"] for s in before["sheets"]] == ["甲"]
    assert [s["label"] for s in after["sheets"]] == ["甲", "乙"]


@pytest.mark.parametrize("flushed_early", [False, True])
def test_taking_a_child_from_another_departments_record_is_refused(app, folders, ipb,
                                                                   flushed_early):
    """Also when the move was flushed before the command ran (an automatic flush while a form
    is read): the row's old parent is noted at the flush."""
    theirs, own = folders("EDB", "他部门的表"), folders("IPB")

    def take(folder):
        sheet = ipb.query(Sheet).filter_by(folder_id=theirs).one()
        folder.sheets.append(sheet)
        if flushed_early:
            ipb.flush()

    assert set(_refused(ipb, own, take)) == {"sheets"}
    assert _sheets(app, theirs) == ["他部门的表"] and _sheets(app, own) == []


def test_moving_a_child_between_the_users_own_records_is_allowed_and_recorded(
        app, folders, ipb):
    first, second = folders("IPB", "要移走的表"), folders("IPB")
    _update(ipb, second, lambda f: f.sheets.append(
        ipb.query(Sheet).filter_by(folder_id=first).one()))
    assert _sheets(app, first) == [] and _sheets(app, second) == ["要移走的表"]
    [(action, before, after)] = _history(app, second)
    assert (before, [s["label"] for s in after["sheets"]]) == ({"sheets": []}, ["要移走的表"])


def test_a_removed_child_keeps_its_name_in_the_history(app, folders, ipb):
    own = folders("IPB", "留下", "删掉")
    _update(ipb, own, lambda f: f.sheets.remove(next(s for s in f.sheets if s.title == "删掉")))
    assert _sheets(app, own) == ["留下"]
    [(_action, before, after)] = _history(app, own)
    assert [s["label"] for s in before["sheets"]] == ["留下", "删掉"]
    assert [s["label"] for s in after["sheets"]] == ["留下"]


def test_a_child_linking_a_record_now_of_another_department_does_not_block_an_edit(
        app, folders, ipb):
    enterprise = EnterpriseFactory(app).create("IPB")
    own = folders("IPB", "老表", enterprise=enterprise)
    with app.app_context():
        db.session.get(Enterprise, enterprise).department_id = department_id("EDB")
        db.session.commit()
    _update(ipb, own, lambda f: setattr(f, "name_zh", "改名的文件夹"))
    assert _sheets(app, own) == ["老表"]
    assert [(a, b, c) for a, b, c in _history(app, own)] == [
        ("update", {"name_zh": "IPB文件夹"}, {"name_zh": "改名的文件夹"})]
