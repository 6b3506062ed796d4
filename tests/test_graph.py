"""The networkx duty graph agrees with the dataset it is built from."""

from __future__ import annotations

from collections import Counter

from dutygraph.graph import EDGE_TYPES, NODE_LABELS, build_graph
from dutygraph.model import Dataset


def test_node_counts_per_label_match_the_dataset(liaocheng: Dataset) -> None:
    graph = build_graph(liaocheng)
    labels = Counter(data["label"] for _, data in graph.nodes(data=True))
    assert labels == {
        "Document": len(liaocheng.documents),
        "Provision": len(liaocheng.provisions),
        "Bureau": len(liaocheng.bureaus),
        "Domain": len(liaocheng.domains),
        "Activity": len(liaocheng.activities),
        "Licence": len(liaocheng.licences),
    }
    assert set(labels) == set(NODE_LABELS)


def test_edge_counts_per_type_match_the_dataset(liaocheng: Dataset) -> None:
    graph = build_graph(liaocheng)
    types = Counter(data["type"] for _, _, data in graph.edges(data=True))
    licences = liaocheng.licences.values()
    assert types["HAS_DUTY"] == len(liaocheng.duties)
    assert types["LEADS"] == len(liaocheng.leads)
    issuers = [c for lic in licences for c in (lic.issuer, *(ch.issuer for ch in lic.changes)) if c]
    enforcers = [c for lic in licences for c in (lic.enforcer, *(ch.enforcer for ch in lic.changes), *lic.also_enforced_by) if c]
    bans = [a for a in liaocheng.activities.values() if a.prohibition and a.prohibition.enforcer]
    assert types["ISSUES"] == len(issuers)
    assert types["ENFORCES"] == len(enforcers) + len(bans)
    assert types["SUCCEEDED_BY"] == len(liaocheng.successions)
    assert types["GUIDED_BY"] == sum(1 for b in liaocheng.bureaus.values() if b.guided_by)
    assert types["AGENCY_OF"] == sum(1 for b in liaocheng.bureaus.values() if b.agency_of)
    assert types["REQUIRES"] == sum(len(lic.requires) for lic in licences)
    assert types["AUTHORIZES"] == sum(len(a.licences) for a in liaocheng.activities.values())
    assert types["PART_OF"] == len(liaocheng.provisions)
    assert set(types) <= set(EDGE_TYPES)


def test_every_edge_joins_known_nodes_and_cites_known_provisions(liaocheng: Dataset) -> None:
    graph = build_graph(liaocheng)
    for source, target, data in graph.edges(data=True):
        assert source in graph and target in graph
        assert set(data["provisions"]) <= set(liaocheng.provisions), (source, target, data)


def test_graph_relationship_directions_follow_the_design(liaocheng: Dataset) -> None:
    graph = build_graph(liaocheng)
    expected = {
        "ISSUES": ("Bureau", "Licence"),
        "AUTHORIZES": ("Licence", "Activity"),
        "REQUIRES": ("Licence", "Licence"),
        "IN_DOMAIN": ("Activity", "Domain"),
        "LEADS": ("Bureau", "Activity"),
        "PART_OF": ("Provision", "Document"),
        "GUIDED_BY": ("Bureau", "Bureau"),
        "AGENCY_OF": ("Bureau", "Bureau"),
        "SUCCEEDED_BY": ("Bureau", "Bureau"),
        "MEMBER_OF": ("Activity", "Activity"),
    }
    for source, target, data in graph.edges(data=True):
        ends = (graph.nodes[source]["label"], graph.nodes[target]["label"])
        if data["type"] in expected:
            assert ends == expected[data["type"]]
        if data["type"] == "ENFORCES":  # a licence's investigator, or the enforcer of a ban
            assert ends in {("Bureau", "Licence"), ("Bureau", "Activity")}
