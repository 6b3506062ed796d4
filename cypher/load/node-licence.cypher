// Load Licence nodes. $rows: [{uid, props}], props holding id, dataset and the node's properties; $load: the id of this load.
// The properties are replaced, so a property removed from the data leaves the node; loadId marks what this load wrote.
UNWIND $rows AS row
MERGE (n:DutyNode:Licence {uid: row.uid})
SET n = row.props, n.uid = row.uid, n.loadId = $load
