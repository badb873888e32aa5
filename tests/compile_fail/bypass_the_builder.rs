// The generated constructors and the per-client state are not public: `Client::builder()` is the
// one way in, so every client has its key, limiter and retry policy; and a request builder comes
// from its `Client` method, which takes the path parameters, so none can be left out.
fn main() {
    let http = reqwest::Client::new();
    let _state: Option<mocoapp::ClientState> = None;
    let _client = mocoapp::Client::new("https://example.mocoapp.com/api/v1", todo!());
    let _other = mocoapp::Client::new_with_client("https://example.mocoapp.com/api/v1", http, todo!());
}

#[allow(dead_code)]
async fn without_the_id(client: mocoapp::Client) {
    let _ = mocoapp::builder::GetProject::new(&client).send().await;
}
