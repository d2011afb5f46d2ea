//! 10,000 hostile strings through the HTTP API: stored as given (trimmed, as every front end
//! stores a name), never an answer other than the one error shape, never in a header.

use crm_core::testing::hostile_strings;
use serde_json::{Value, json};

use crate::env::{ADMIN_PW, TestEnv};
use crate::serve::{Server, agent, login};

const CORPUS: usize = 10_000;
const CLIENTS: usize = 4;

#[test]
fn hostile_strings_through_the_api_are_stored_as_given_or_refused_by_field() {
    let env = TestEnv::with_admin();
    let server = Server::start(&env);
    let token = login(&server, "root", ADMIN_PW);
    let corpus = hostile_strings(CORPUS, 22);
    let chunks: Vec<Vec<String>> = corpus
        .chunks(CORPUS / CLIENTS)
        .map(<[String]>::to_vec)
        .collect();
    let results: Vec<(usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let (server, token) = (&server, &token);
                scope.spawn(move || {
                    let agent = agent();
                    let (mut stored, mut refused) = (0, 0);
                    for text in chunk {
                        let mut response = agent
                            .post(server.url("/api/v1/leads"))
                            .header("Authorization", &format!("Bearer {token}"))
                            .send_json(json!({ "first_name": text, "notes": text, "allow_duplicate": true }))
                            .unwrap();
                        let status = response.status().as_u16();
                        for (name, value) in response.headers() {
                            let value = value.to_str().unwrap_or_default();
                            assert!(
                                text.trim().len() < 4 || !value.contains(text.trim()),
                                "the header {name} carries the posted text"
                            );
                        }
                        let body: Value = response.body_mut().read_json().unwrap();
                        match status {
                            201 => {
                                assert_eq!(body["first_name"].as_str(), Some(text.trim()), "{text:?}");
                                stored += 1;
                            }
                            422 => {
                                let field = body["error"]["fields"].as_object().unwrap();
                                assert!(!field.is_empty(), "{body}");
                                refused += 1;
                            }
                            other => panic!("{other} for {text:?}: {body}"),
                        }
                    }
                    (stored, refused)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (stored, refused) = results.iter().fold((0, 0), |(s, r), (a, b)| (s + a, r + b));
    assert_eq!(stored + refused, CORPUS);
    // Names are one line: text with line breaks or controls is refused by field; the rest
    // is stored exactly.
    assert!(
        stored > 0 && refused > 0,
        "{stored} stored, {refused} refused"
    );
    // Read back as search parameters: answered, never a server error.
    let agent = agent();
    for text in corpus.iter().take(500) {
        let response = agent
            .get(server.url("/api/v1/leads"))
            .query("search", text)
            .header("Authorization", &format!("Bearer {token}"))
            .call()
            .unwrap();
        assert!(
            matches!(response.status().as_u16(), 200 | 400 | 422),
            "{} for search {text:?}",
            response.status()
        );
    }
    assert!(server.stop().success());
}
