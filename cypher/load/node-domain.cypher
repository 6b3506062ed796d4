// Load Domain nodes. $rows: [{uid, props}], props holding id, dataset and the node's properties.
UNWIND $rows AS row
MERGE (n:DutyNode:Domain {uid: row.uid})
SET n += row.props
