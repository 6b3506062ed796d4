// Before the nodes are written: remove this dataset's nodes whose uid the load gives to a node of another kind (an
// id that moved from a bureau to a licence, say), so that the MERGE of the new kind does not collide with them.
// $rows: [{uid, label}] for every node of the load.
UNWIND $rows AS row
MATCH (n:DutyNode {uid: row.uid})
WHERE NOT row.label IN labels(n)
DETACH DELETE n
