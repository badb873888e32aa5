// Request enums are closed: an update_status takes the enum, not any string.
async fn run(client: mocoapp::Client) -> Result<(), mocoapp::Error> {
    client
        .update_invoice_status(1)
        .body(mocoapp::types::InvoiceStatusUpdate { status: "archived".to_string() })
        .send()
        .await?;
    Ok(())
}

fn main() {
    let _ = run;
}
