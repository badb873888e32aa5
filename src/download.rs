//! File downloads (invoice, offer and timesheet PDFs): the generated `send` of a download reads
//! the whole body into memory; `send_with_response` hands out the stream instead.

use futures::TryStreamExt;
use progenitor_client::ByteStream;

use crate::Error;

/// Reads a download to its end. A connection that breaks midway is an [`Error::Transport`],
/// never a silently short file; a file beyond the client's size limit is an
/// [`Error::ResponseTooLarge`].
pub(crate) async fn collect(stream: ByteStream) -> Result<Vec<u8>, Error> {
    stream
        .into_inner()
        .map_err(crate::error::from_reqwest)
        .try_fold(Vec::new(), |mut file, chunk| async move {
            file.extend_from_slice(&chunk);
            Ok(file)
        })
        .await
}
