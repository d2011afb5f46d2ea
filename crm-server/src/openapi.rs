//! The routes and their `OpenAPI` 3.1 description come from one list: a route is added with
//! its description or not at all, so `/api/v1/openapi.json` cannot leave one out.

use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, on};
use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde_json::{Map, Value, json};

/// Writes a type's schema into the description's components and gives the reference to it.
type SchemaOf = fn(&mut SchemaGenerator) -> Schema;

fn schema_of<T: JsonSchema>(generator: &mut SchemaGenerator) -> Schema {
    generator.subschema_for::<T>()
}

/// What the description says of one operation.
#[derive(Debug, Clone)]
pub(crate) struct Doc {
    summary: &'static str,
    /// Needs `Authorization: Bearer`.
    auth: bool,
    query: &'static [&'static str],
    /// The request body's media types, if it takes one.
    body: &'static [&'static str],
    ok: u16,
    /// Reads (`ETag`) or writes (`If-Match`, 412, 428) one versioned record.
    versioned: bool,
    /// The JSON body's schema, from the type the handler reads it into.
    takes: Option<SchemaOf>,
    /// The answer's schema, from the type the handler answers.
    gives: Option<SchemaOf>,
}

impl Doc {
    /// An operation that needs a bearer token and answers 200.
    pub(crate) const fn new(summary: &'static str) -> Doc {
        Doc {
            summary,
            auth: true,
            query: &[],
            body: &[],
            ok: 200,
            versioned: false,
            takes: None,
            gives: None,
        }
    }

    /// Takes a JSON body of type `T`.
    pub(crate) const fn takes<T: JsonSchema>(mut self) -> Doc {
        self.body = &["application/json"];
        self.takes = Some(schema_of::<T>);
        self
    }

    /// Answers a `T` as JSON.
    pub(crate) const fn gives<T: JsonSchema>(mut self) -> Doc {
        self.gives = Some(schema_of::<T>);
        self
    }

    /// One record with a version: a read answers its `ETag`, a write needs `If-Match`.
    pub(crate) const fn versioned(mut self) -> Doc {
        self.versioned = true;
        self
    }

    /// The same description with another summary.
    pub(crate) const fn summary(mut self, summary: &'static str) -> Doc {
        self.summary = summary;
        self
    }

    /// Needs no login.
    pub(crate) const fn public(mut self) -> Doc {
        self.auth = false;
        self
    }

    pub(crate) const fn query(mut self, names: &'static [&'static str]) -> Doc {
        self.query = names;
        self
    }

    /// Takes a JSON body.
    pub(crate) const fn json(mut self) -> Doc {
        self.body = &["application/json"];
        self
    }

    pub(crate) const fn body(mut self, media: &'static [&'static str]) -> Doc {
        self.body = media;
        self
    }

    pub(crate) const fn ok(mut self, status: u16) -> Doc {
        self.ok = status;
        self
    }
}

/// One documented operation.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    pub(crate) method: &'static str,
    pub(crate) path: &'static str,
    pub(crate) doc: Doc,
}

/// A router that records the description of each route it is given.
pub(crate) struct Documented<S> {
    router: Router<S>,
    operations: Vec<Operation>,
}

impl<S: Clone + Send + Sync + 'static> Documented<S> {
    pub(crate) fn new() -> Self {
        Documented {
            router: Router::new(),
            operations: Vec::new(),
        }
    }

    fn add<H, T>(mut self, method: &'static str, path: &'static str, handler: H, doc: Doc) -> Self
    where
        H: Handler<T, S>,
        T: 'static,
    {
        let filter = match method {
            "GET" => MethodFilter::GET,
            "POST" => MethodFilter::POST,
            "DELETE" => MethodFilter::DELETE,
            "PATCH" => MethodFilter::PATCH,
            _ => MethodFilter::OPTIONS,
        };
        self.router = self.router.route(path, on(filter, handler));
        self.operations.push(Operation { method, path, doc });
        self
    }

    pub(crate) fn get<H: Handler<T, S>, T: 'static>(
        self,
        path: &'static str,
        h: H,
        doc: Doc,
    ) -> Self {
        self.add("GET", path, h, doc)
    }

    pub(crate) fn post<H: Handler<T, S>, T: 'static>(
        self,
        path: &'static str,
        h: H,
        doc: Doc,
    ) -> Self {
        self.add("POST", path, h, doc)
    }

    pub(crate) fn patch<H: Handler<T, S>, T: 'static>(
        self,
        path: &'static str,
        h: H,
        doc: Doc,
    ) -> Self {
        self.add("PATCH", path, h, doc)
    }

    pub(crate) fn delete<H: Handler<T, S>, T: 'static>(
        self,
        path: &'static str,
        h: H,
        doc: Doc,
    ) -> Self {
        self.add("DELETE", path, h, doc)
    }

    pub(crate) fn options<H: Handler<T, S>, T: 'static>(
        self,
        path: &'static str,
        h: H,
        doc: Doc,
    ) -> Self {
        self.add("OPTIONS", path, h, doc)
    }

    pub(crate) fn finish(self) -> (Router<S>, Vec<Operation>) {
        (self.router, self.operations)
    }
}

/// Whether the operation changes one existing versioned record (and so needs `If-Match`).
fn guarded(op: &Operation) -> bool {
    op.doc.versioned && matches!(op.method, "PATCH" | "DELETE")
}

fn parameters(op: &Operation) -> Vec<Value> {
    let mut parameters: Vec<Value> = op
        .path
        .split('/')
        .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    parameters.extend(op.doc.query.iter().map(|name| {
        json!({ "name": name, "in": "query", "required": false, "schema": { "type": "string" } })
    }));
    if guarded(op) {
        parameters.push(json!({ "name": "If-Match", "in": "header", "required": true,
            "description": "The ETag a GET gave (the version the change is made against), or * for any version",
            "schema": { "type": "string" } }));
    }
    parameters
}

fn responses(op: &Operation, generator: &mut SchemaGenerator) -> Map<String, Value> {
    let error = |why: &str| {
        json!({ "description": why, "content": { "application/json": {
            "schema": { "$ref": "#/components/schemas/Error" } } } })
    };
    let mut responses = Map::new();
    let mut done = match op.doc.gives {
        Some(schema) => json!({ "description": "done", "content": { "application/json": {
            "schema": schema(generator) } } }),
        None if op.doc.ok == 204 => json!({ "description": "done" }),
        None => json!({ "description": "done", "content": { "application/json": {} } }),
    };
    if op.doc.versioned && op.doc.ok != 204 {
        done["headers"] = json!({ "ETag": { "description": "The record's version",
            "schema": { "type": "string" } } });
    }
    responses.insert(op.doc.ok.to_string(), done);
    if guarded(op) {
        responses.insert(
            "412".into(),
            error("the record changed since that version; the error's current_version says what it is now"),
        );
        responses.insert("428".into(), error("no If-Match header"));
    }
    for (status, why) in [
        ("400", "malformed request"),
        ("401", "no valid bearer token"),
        ("403", "not allowed"),
        ("404", "no such record"),
        ("409", "conflict or duplicate"),
        ("422", "invalid field"),
        ("503", "busy; try again"),
    ] {
        if status == "401" && !op.doc.auth {
            continue;
        }
        responses.insert(status.into(), error(why));
    }
    responses
}

/// The `OpenAPI` 3.1 document of `operations`.
pub(crate) fn document(operations: &[Operation]) -> Value {
    // JSON Schema 2020-12 is OpenAPI 3.1's dialect; the types' schemas go to the components.
    let mut generator = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "#/components/schemas".into())
        .into_generator();
    let mut paths = Map::new();
    for op in operations {
        let (parameters, responses) = (parameters(op), responses(op, &mut generator));
        let mut operation = json!({
            "summary": op.doc.summary,
            "operationId": format!("{} {}", op.method, op.path),
            "parameters": parameters,
            "responses": responses,
        });
        if op.doc.auth {
            operation["security"] = json!([{ "bearer": [] }]);
        }
        if !op.doc.body.is_empty() {
            let content: Map<String, Value> = op
                .doc
                .body
                .iter()
                .map(|media| {
                    let schema = match (op.doc.takes, *media) {
                        (Some(schema), "application/json") => schema(&mut generator).to_value(),
                        (_, "text/csv") => json!({ "type": "string", "description": "a CSV file with a header row" }),
                        _ => json!({ "type": "object" }),
                    };
                    ((*media).to_string(), json!({ "schema": schema }))
                })
                .collect();
            operation["requestBody"] = json!({ "required": true, "content": content });
        }
        paths
            .entry(op.path)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .map(|o| o.insert(op.method.to_lowercase(), operation));
    }
    let mut document = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "crm",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The CRM's JSON API: the same rules as the `crm` CLI, one service call per request.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer",
                    "description": "A session token from POST /api/v1/sessions, or an API key from `crm apikeys add`." }
            },
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": { "error": {
                        "type": "object",
                        "required": ["code", "message"],
                        "properties": {
                            "code": { "type": "string" },
                            "message": { "type": "string" },
                            "fields": { "type": "object", "additionalProperties": { "type": "string" } },
                            "existing": { "type": "object", "properties": {
                                "kind": { "type": "string" }, "id": { "type": "integer" } } },
                            "current_version": { "type": "integer" }
                        }
                    } }
                }
            }
        }
    });
    let mut schemas = generator.take_definitions(true);
    schemas.insert(
        "Error".into(),
        document["components"]["schemas"]["Error"].take(),
    );
    document["components"]["schemas"] = Value::Object(schemas);
    document
}
