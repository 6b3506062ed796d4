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
    assert types["ISSUES"] == sum(1 for lic in licences if lic.issuer)
    assert types["ENFORCES"] == sum(1 for lic in licences if lic.enforcer)
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
        "ENFORCES": ("Bureau", "Licence"),
        "AUTHORIZES": ("Licence", "Activity"),
        "REQUIRES": ("Licence", "Licence"),
        "IN_DOMAIN": ("Activity", "Domain"),
        "LEADS": ("Bureau", "Activity"),
        "PART_OF": ("Provision", "Document"),
        "ACTS_THROUGH": ("Bureau", "Bureau"),
    }
    for source, target, data in graph.edges(data=True):
        if data["type"] in expected:
            assert (graph.nodes[source]["label"], graph.nodes[target]["label"]) == expected[data["type"]]
