"""What the project tests share: REST calls as a user, a project through REST, stored state."""
from __future__ import annotations

PROJECTS = "/api/v1/project/"
REPORTS = "/api/v1/project_report/"


def new_project(api, enterprise: int, username: str = "ipb", **overrides) -> int:
    payload = {"name_zh": "大连长兴岛精细化工新材料项目", "name_ja": "大連精密化学新素材プロジェクト",
               "name_en": "Dalian fine-chemicals materials project", "enterprise": enterprise,
               "industry": "automotive", "investment": 120000, "stage": "intention"}
    payload.update(overrides)
    resp = api("post", PROJECTS, username, json=payload)
    assert resp.status_code == 201, resp.json
    return resp.json["id"]


def act(api, pk: int, action: str, username: str = "ipb", **data):
    return api("post", f"{PROJECTS}{pk}/transition/{action}", username, json=data)
