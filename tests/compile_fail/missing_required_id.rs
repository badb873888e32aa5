// `get_project` needs the project's id: leaving it out does not compile.
async fn run(client: mocoapp::Client) -> Result<(), mocoapp::Error> {
    let _project = client.get_project().send().await?;
    Ok(())
}

fn main() {
    let _ = run;
}
