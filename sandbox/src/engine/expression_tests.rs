use super::*;
use serde_json::json;

/// A run whose trigger posted a ticket and whose approval came back approved.
struct Run;

impl Scope for Run {
    fn trigger(&self) -> Value {
        json!({"outputs": {"headers": {"x-flowhost-event": "ticket_created"},
            "body": {"id": 42, "title": "Printer on fire", "owner": null, "tags": ["a", "b"]}}})
    }
    fn action(&self, name: &str) -> Option<Value> {
        (name == "Start_and_wait_for_an_approval").then(|| {
            json!({"status": "Succeeded", "outputs": {"statusCode": 200,
                "body": {"outcome": "Approve", "responses": [{"responder": {"displayName": "Adele Vance"}}]}}})
        })
    }
    fn parameter(&self, name: &str) -> Option<Value> {
        (name == "approver").then(|| json!("adele@contoso.example"))
    }
}

fn run(text: &str) -> Result<Value> {
    evaluate(&json!(text), &Run)
}

#[test]
fn a_whole_expression_keeps_its_type_and_interpolation_makes_text() {
    assert_eq!(run("@triggerBody()?['id']"), Ok(json!(42)));
    assert_eq!(run("#@{triggerBody()?['id']}"), Ok(json!("#42")));
    assert_eq!(
        run("@{triggerBody()?['owner']}!"),
        Ok(json!("!")),
        "null is nothing"
    );
    assert_eq!(
        run("@@{not an expression}"),
        Ok(json!("@{not an expression}"))
    );
    assert_eq!(run("mail@example.com"), Ok(json!("mail@example.com")));
    assert_eq!(
        evaluate(
            &json!({"n": "@triggerBody()?['id']", "list": ["@parameters('approver')"]}),
            &Run
        ),
        Ok(json!({"n": 42, "list": ["adele@contoso.example"]}))
    );
}

#[test]
fn the_designers_path_keys_and_dots_and_indexes_reach_the_same_values() {
    let outcome = Ok(json!("Approve"));
    assert_eq!(
        run("@outputs('Start_and_wait_for_an_approval')?['body/outcome']"),
        outcome
    );
    assert_eq!(
        run("@body('Start_and_wait_for_an_approval')['outcome']"),
        outcome
    );
    assert_eq!(
        run("@actions('Start_and_wait_for_an_approval').outputs.body.outcome"),
        outcome
    );
    assert_eq!(
        run("@body('Start_and_wait_for_an_approval')?['responses'][0]?['responder/displayName']"),
        Ok(json!("Adele Vance"))
    );
    assert_eq!(
        run("@triggerOutputs()?['headers/x-flowhost-event']"),
        Ok(json!("ticket_created"))
    );
    assert_eq!(run("@triggerBody()?['tags'][1]"), Ok(json!("b")));
}

#[test]
fn functions_of_the_subset_work_as_documented() {
    assert_eq!(
        run("@equals(outputs('Start_and_wait_for_an_approval')?['body/outcome'], 'Approve')"),
        Ok(json!(true))
    );
    assert_eq!(
        run(
            "@{concat('Approved by ', body('Start_and_wait_for_an_approval')?['responses'][0]?['responder/displayName'])}"
        ),
        Ok(json!("Approved by Adele Vance"))
    );
    assert_eq!(
        run("@coalesce(triggerBody()?['owner'], 'nobody')"),
        Ok(json!("nobody"))
    );
    assert_eq!(
        run("@if(greater(length(triggerBody()?['tags']), 1), 'many', 'few')"),
        Ok(json!("many"))
    );
    assert_eq!(
        run("@and(empty(''), not(contains(triggerBody()?['title'], 'ice')))"),
        Ok(json!(true))
    );
    assert_eq!(run("@toUpper('it''s')"), Ok(json!("IT'S")));
    assert_eq!(run("@first(triggerBody()?['tags'])"), Ok(json!("a")));
    assert_eq!(
        run("@first(triggerBody()?['nothing'])"),
        Ok(serde_json::Value::Null)
    );
    assert_eq!(run("@equals(1, 1.0)"), Ok(json!(true)));
    assert_eq!(
        run(r#"@json('{"ticketId": 7, "url": "http://x/7"}')?['ticketId']"#),
        Ok(json!(7))
    );
    assert!(
        run("@json('not json')")
            .unwrap_err()
            .0
            .contains("cannot be parsed")
    );
    assert!(
        run("@json(triggerBody()?['id'])")
            .unwrap_err()
            .0
            .contains("a string or an XML")
    );
}

#[test]
fn what_is_missing_or_outside_the_subset_is_named() {
    let missing = run("@triggerBody()['owner_email']").unwrap_err();
    assert!(
        missing.0.contains("property 'owner_email' doesn't exist"),
        "{missing:?}"
    );
    assert!(
        missing
            .0
            .contains("available properties are 'id, owner, tags, title'")
    );
    assert_eq!(
        run("@triggerBody()?['owner_email']"),
        Ok(serde_json::Value::Null)
    );
    let unknown = check(&json!({"x": "@formatDateTime(utcNow())"})).unwrap_err();
    assert_eq!(
        unknown.0,
        "The template function 'formatDateTime' is not defined or not valid."
    );
    assert!(run("@body('Nope')").unwrap_err().0.contains("'Nope'"));
    assert!(run("@{equals(1, 2)").is_err(), "an interpolation left open");
    assert!(run("@equals(1, 2").is_err());
    assert_eq!(
        run("@triggerBody()?['tags']?[5]"),
        Ok(serde_json::Value::Null)
    );
    assert!(
        run("@triggerBody()['tags'][5]")
            .unwrap_err()
            .0
            .contains("outside bounds (0 - 1)")
    );
}
