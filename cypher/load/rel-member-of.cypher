// Load MEMBER_OF relationships. $rows: [{from, to, key, props}]; key tells parallel relationships apart.
UNWIND $rows AS row
MATCH (a:DutyNode {uid: row.from})
MATCH (b:DutyNode {uid: row.to})
MERGE (a)-[r:MEMBER_OF {key: row.key}]->(b)
SET r += row.props
