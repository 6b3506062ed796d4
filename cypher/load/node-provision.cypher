// Load Provision nodes. $rows: [{uid, props}], props holding id, dataset and the node's properties.
UNWIND $rows AS row
MERGE (n:DutyNode:Provision {uid: row.uid})
SET n += row.props
