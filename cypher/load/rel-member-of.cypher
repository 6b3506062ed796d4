// Load MEMBER_OF relationships. $rows: [{from, to, key, props}]; key tells parallel relationships apart; $load: the id
// of this load. The properties are replaced; loadId marks what this load wrote.
UNWIND $rows AS row
MATCH (a:DutyNode {uid: row.from})
MATCH (b:DutyNode {uid: row.to})
MERGE (a)-[r:MEMBER_OF {key: row.key}]->(b)
SET r = row.props, r.key = row.key, r.loadId = $load
