"""FAB's REST query arguments are still validated against its schemas (each schema is only
checked once; app.core.fab_fixes), and refused with a translated message."""
import prison


def _list(client, headers, **arguments):
    return client.get(f"/api/v1/enterprise/?q={prison.dumps(arguments)}", headers=headers)


def test_rest_query_arguments_are_validated_on_every_request(client, auth):
    token = {**auth.token("ipb"), "Accept-Language": "en"}
    for _ in range(2):
        assert _list(client, token, page_size=5).status_code == 200
        bad = _list(client, token, page_size="many")
        assert bad.status_code == 400
        assert bad.json["message"].startswith("The request's query arguments are not valid.")
        assert "'many' is not of type 'integer'" in bad.json["message"]
        assert _list(client, token, order_direction="sideways").status_code == 400
    info = client.get(f"/api/v1/enterprise/_info?q={prison.dumps({'keys': 'x'})}",
                      headers=token)
    assert info.status_code == 400


def test_bad_query_arguments_are_refused_in_the_users_language(app, auth):
    token = auth.token("ipb")
    for lang, lead in (("zh", "请求的查询参数无效。"), ("ja", "リクエストのクエリ引数が正しくありません。")):
        resp = _list(app.test_client(), {**token, "Accept-Language": lang},
                     order_column="nothing")
        assert resp.status_code == 400
        assert resp.json["message"].startswith(lead), resp.json
