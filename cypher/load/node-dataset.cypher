// Load the Dataset node. $rows: [{uid, props}], props holding id, dataset and the dataset's properties; $load: the id
// of this load. The properties are replaced; loadState stays 'loading' until complete.cypher ends the load.
UNWIND $rows AS row
MERGE (n:DutyNode:Dataset {uid: row.uid})
SET n = row.props, n.uid = row.uid, n.loadId = $load, n.loadState = 'loading'
