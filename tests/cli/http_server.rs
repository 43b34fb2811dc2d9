//! A real HTTP server on 127.0.0.1 for the probe tests and examples/acme,
//! one thread per connection, with the routes the tests need.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The server; it stops (and its port closes) when dropped.
pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Server {
    pub fn start() -> Server {
        Server::listen(None)
    }

    /// The same routes over HTTPS, with the certificate of
    /// tests/fixtures/tls (signed by a private CA no public root store has).
    pub fn start_tls() -> Server {
        Server::listen(Some(tls_config()))
    }

    fn listen(tls: Option<Arc<rustls::ServerConfig>>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let port = listener.local_addr().unwrap().port();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(stream) = stream else { continue };
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = connection(stream, port, tls);
                });
            }
        });
        Server {
            port,
            stop,
            thread: Some(thread),
        }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// `https://127.0.0.1:PORT`, for a server from [`Server::start_tls`].
    pub fn base_tls(&self) -> String {
        format!("https://127.0.0.1:{}", self.port)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wake the accept loop so that it sees the flag and closes the port.
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// A port with nothing listening on it.
pub fn closed_port() -> u16 {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

/// The test CA's directory.
pub fn tls_fixtures() -> std::path::PathBuf {
    crate::support::repo().join("tests/fixtures/tls")
}

fn tls_config() -> Arc<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let dir = tls_fixtures();
    // The server sends its certificate and the CA's, as servers do.
    let chain: Vec<CertificateDer<'static>> = ["server.pem", "ca.pem"]
        .iter()
        .flat_map(|f| CertificateDer::pem_file_iter(dir.join(f)).unwrap())
        .map(Result::unwrap)
        .collect();
    let key = PrivateKeyDer::from_pem_file(dir.join("server.key")).unwrap();
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .unwrap();
    Arc::new(config)
}

/// One connection: plain or TLS, one request, then closed.
fn connection(
    stream: TcpStream,
    port: u16,
    tls: Option<Arc<rustls::ServerConfig>>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    match tls {
        None => {
            let out = serve(stream, port)?;
            let _ = out.shutdown(Shutdown::Both);
        }
        Some(config) => {
            let conn = rustls::ServerConnection::new(config).map_err(std::io::Error::other)?;
            let mut out = serve(rustls::StreamOwned::new(conn, stream), port)?;
            out.conn.send_close_notify();
            let _ = out.flush();
            let _ = out.sock.shutdown(Shutdown::Both);
        }
    }
    Ok(())
}

fn reply<W: Write>(out: &mut W, status: &str, extra: &str, body: &str) -> std::io::Result<()> {
    write!(
        out,
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
        body.len()
    )
}

/// Reads one request and answers it; gives the stream back to be closed.
fn serve<S: Read + Write>(stream: S, port: u16) -> std::io::Result<S> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let path = line.split(' ').nth(1).unwrap_or("/").to_string();
    let mut headers = Vec::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
    }
    // A GET has no body: nothing the reader buffered is lost.
    let mut out = reader.into_inner();
    let (route, query) = path.split_once('?').unwrap_or((&path, ""));
    match route {
        "/" => reply(&mut out, "200 OK", "", "<h1>Acme help centre</h1>")?,
        "/ok" | "/contact" => reply(
            &mut out,
            "200 OK",
            "Content-Type: text/html\r\n",
            "<h1>Contact us</h1><p>Hours: 9:00-17:00 UK time. We answer within one business day.</p>",
        )?,
        "/status.json" => reply(
            &mut out,
            "200 OK",
            "Content-Type: application/json\r\n",
            r#"{"components": [{"name": "Acme Helpdesk", "status": "operational"}]}"#,
        )?,
        "/down" => reply(
            &mut out,
            "503 Service Unavailable",
            "",
            "down for maintenance",
        )?,
        "/slow" | "/delay" => {
            let ms: u64 = query
                .strip_prefix("ms=")
                .and_then(|m| m.parse().ok())
                .unwrap_or(100);
            std::thread::sleep(Duration::from_millis(ms));
            reply(&mut out, "200 OK", "", "Contact us, slowly")?
        }
        "/loop" => reply(&mut out, "302 Found", "Location: /loop\r\n", "")?,
        "/away" => reply(
            &mut out,
            "302 Found",
            &format!("Location: http://localhost:{port}/ok\r\n"),
            "",
        )?,
        "/echo-auth" => {
            let auth = headers
                .iter()
                .find(|(k, _)| k == "authorization")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            reply(&mut out, "200 OK", "", &format!("you sent: {auth}"))?
        }
        "/echo-auth-long" => {
            // What was sent, after 64 characters: where a shortened message
            // would cut it.
            let auth = headers
                .iter()
                .find(|(k, _)| k == "authorization")
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let echo = format!("{} {auth}", "x".repeat(63));
            reply(
                &mut out,
                "200 OK",
                &format!("X-Echo: {echo}\r\n"),
                &format!("{echo} end"),
            )?
        }
        "/big" => {
            // 1 GiB, made as it is sent: the client must stop at its cap.
            write!(
                out,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                1u64 << 30
            )?;
            let chunk = vec![b'x'; 64 * 1024];
            for _ in 0..(1u64 << 30) / chunk.len() as u64 {
                if out.write_all(&chunk).is_err() {
                    break;
                }
            }
        }
        _ => reply(&mut out, "404 Not Found", "", "no such page")?,
    }
    let _ = out.flush();
    Ok(out)
}
