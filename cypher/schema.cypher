// dutygraph schema for Neo4j 5 (Community is enough).
// Every dutygraph node carries the label DutyNode plus its kind (Dataset, Document, Provision, Bureau, Domain,
// Activity, Licence), the property `dataset` (the dataset id) and `uid` = "<dataset>/<id>", unique.
// Run by `dutygraph neo4j load` before loading; every statement is idempotent.
CREATE CONSTRAINT dutynode_uid IF NOT EXISTS FOR (n:DutyNode) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT dataset_uid IF NOT EXISTS FOR (n:Dataset) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT document_uid IF NOT EXISTS FOR (n:Document) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT provision_uid IF NOT EXISTS FOR (n:Provision) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT bureau_uid IF NOT EXISTS FOR (n:Bureau) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT domain_uid IF NOT EXISTS FOR (n:Domain) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT activity_uid IF NOT EXISTS FOR (n:Activity) REQUIRE n.uid IS UNIQUE;
CREATE CONSTRAINT licence_uid IF NOT EXISTS FOR (n:Licence) REQUIRE n.uid IS UNIQUE;
CREATE INDEX dutynode_dataset IF NOT EXISTS FOR (n:DutyNode) ON (n.dataset);
CREATE INDEX bureau_dataset_id IF NOT EXISTS FOR (n:Bureau) ON (n.dataset, n.id);
CREATE INDEX activity_dataset_id IF NOT EXISTS FOR (n:Activity) ON (n.dataset, n.id);
CREATE INDEX licence_dataset_id IF NOT EXISTS FOR (n:Licence) ON (n.dataset, n.id);
CREATE INDEX domain_dataset_id IF NOT EXISTS FOR (n:Domain) ON (n.dataset, n.id);
CREATE INDEX bureau_name IF NOT EXISTS FOR (n:Bureau) ON (n.name);
CREATE INDEX activity_name IF NOT EXISTS FOR (n:Activity) ON (n.name);
CREATE INDEX licence_name IF NOT EXISTS FOR (n:Licence) ON (n.name);
CREATE INDEX domain_name IF NOT EXISTS FOR (n:Domain) ON (n.name);
