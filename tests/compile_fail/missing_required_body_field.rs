// An activity needs its date, project and task: `ActivityCreate::new` takes all three, so a
// body without the task does not compile (with `body_map` it would fail only at `send()`).
use mocoapp::prelude::*;

async fn run(client: Client) -> Result<(), Error> {
    let date = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    let body = types::ActivityCreate::new(date, 1234).description("Sprint planning");
    let _activity = client.create_activity().body(body).send().await?;
    Ok(())
}

fn main() {
    let _ = run;
}
