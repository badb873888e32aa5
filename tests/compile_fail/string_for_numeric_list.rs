// `ids` is a list of numbers: neither a string nor a list of strings compiles.
async fn run(client: mocoapp::Client) -> Result<(), mocoapp::Error> {
    let _a = client.list_projects().ids("1,2").send().await?;
    let _b = client.list_projects().company_id(["acme"]).send().await?;
    Ok(())
}

fn main() {
    let _ = run;
}
