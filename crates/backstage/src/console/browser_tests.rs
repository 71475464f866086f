//! The console page in a real browser: headless Chromium driven through chromedriver's WebDriver HTTP API (plain
//! JSON over reqwest), against the console served on 127.0.0.1. It logs in with a name and the token, approves a
//! pending reply, says a line now (refused, then queued and aired), claims an escalation and watches the
//! transcript fill, checking each step where it matters: the director input that arrives on the show's channel,
//! and what the page then says about it. The show's answers are played by the test. The layout is checked at a
//! phone's width (390 px) and a wall screen's (1920 px).
//!
//! Needs the Debian packages `chromium` and `chromium-driver`: ignored by default, run with `--include-ignored`
//! (as .ci/run does), where a missing program fails the test.

use super::*;
use model::{AiredLine, Comment, CommentFlags, CommentId, Lang, LineId, LineKind, LineSource, Localized, Money};
use model::{Platform, ProductId, TriageLabel};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Instant;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";
const TOKEN: &str = "browser-test-token-0123456789abcdef";
/// The W3C WebDriver key for an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver, the Chromium it starts and their profile folder. Dropping it (also when the test panics) ends
/// the WebDriver session, kills chromedriver and any Chromium still running on this profile (found by the
/// profile path in its command line, killed by pid), and removes the folder.
struct Browser {
    driver: Child,
    port: u16,
    session: Option<String>,
    profile: PathBuf,
    http: reqwest::Client,
}

impl Browser {
    async fn start() -> Browser {
        let profile = std::env::temp_dir().join(format!(
            "shopcast-console-chromium-{}-{}",
            std::process::id(),
            testkit::free_port()
        ));
        std::fs::create_dir_all(&profile).expect("a profile folder");
        let port = testkit::free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let mut browser = Browser { driver, port, session: None, profile, http: reqwest::Client::new() };
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let ready = browser.http.get(browser.url("/status")).send().await;
            if let Ok(response) = ready
                && let Ok(status) = response.json::<Value>().await
                && status["value"]["ready"] == true
            {
                break;
            }
            assert!(Instant::now() < deadline, "chromedriver did not become ready on port {port}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let capabilities = json!({
            "capabilities": { "alwaysMatch": {
                "browserName": "chrome",
                "goog:chromeOptions": {
                    "binary": CHROMIUM,
                    "args": [
                        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync",
                        format!("--user-data-dir={}", browser.profile.display()),
                    ],
                },
            }},
        });
        let created = browser.command("POST", "/session", capabilities).await;
        let session = created["sessionId"].as_str().map(str::to_string);
        assert!(session.is_some(), "no WebDriver session: {created}");
        browser.session = session;
        browser
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// One WebDriver command; answers its `value`.
    async fn command(&self, method: &str, path: &str, body: Value) -> Value {
        let url = match &self.session {
            Some(session) if path != "/session" => self.url(&format!("/session/{session}{path}")),
            _ => self.url(path),
        };
        let request = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body),
        };
        let response = request.timeout(Duration::from_secs(60)).send().await.expect("chromedriver answers");
        let answer: Value = response.json().await.expect("chromedriver answers JSON");
        answer["value"].clone()
    }

    async fn open(&self, url: &str) {
        let answer = self.command("POST", "/url", json!({ "url": url })).await;
        assert!(answer.is_null(), "navigation failed: {answer}");
    }

    async fn find(&self, css: &str) -> Option<String> {
        let answer = self.command("POST", "/element", json!({ "using": "css selector", "value": css })).await;
        answer[ELEMENT].as_str().map(str::to_string)
    }

    /// Waits for an element to appear (the page renders from the feed, so it may take a moment).
    async fn wait_for(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(element) = self.find(css).await {
                return element;
            }
            assert!(Instant::now() < deadline, "{css} never appeared; page: {}", self.page_text().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn script(&self, script: &str) -> Value {
        self.command("POST", "/execute/sync", json!({ "script": script, "args": [] })).await
    }

    async fn page_text(&self) -> String {
        self.script("return document.body ? document.body.innerText : ''").await.as_str().unwrap_or("").to_string()
    }

    async fn wait_until(&self, what: &str, script: &str) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.script(script).await != true {
            assert!(Instant::now() < deadline, "{what} never happened; page: {}", self.page_text().await);
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn click(&self, element: &str) {
        let answer = self.command("POST", &format!("/element/{element}/click"), json!({})).await;
        assert!(answer.is_null(), "click failed: {answer}");
    }

    async fn type_into(&self, element: &str, text: &str) {
        let answer = self.command("POST", &format!("/element/{element}/value"), json!({ "text": text })).await;
        assert!(answer.is_null(), "typing failed: {answer}");
    }

    async fn text_of(&self, element: &str) -> String {
        self.command("GET", &format!("/element/{element}/text"), Value::Null).await.as_str().unwrap_or("").to_string()
    }

    /// Makes the page `width` CSS pixels wide (the window, or the viewport where headless Chromium keeps a
    /// larger minimum window), and waits for the page to lay itself out again.
    async fn resize(&self, width: u32, height: u32) {
        let _ = self.command("POST", "/window/rect", json!({ "width": width, "height": height })).await;
        if self.script("return window.innerWidth").await.as_u64() != Some(u64::from(width)) {
            let params = json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": false });
            let answer = self
                .command(
                    "POST",
                    "/goog/cdp/execute",
                    json!({ "cmd": "Emulation.setDeviceMetricsOverride", "params": params }),
                )
                .await;
            assert!(answer.is_object() || answer.is_null(), "no viewport override: {answer}");
        }
        self.wait_until(&format!("a {width} px wide page"), &format!("return window.innerWidth === {width}")).await;
    }

    /// The layout at the current width: nothing wider than the window, and every control in `ids` visible and
    /// inside it.
    async fn assert_fits(&self, ids: &[&str]) {
        let (scroll, inner) = (
            self.script("return document.documentElement.scrollWidth").await,
            self.script("return window.innerWidth").await,
        );
        let (scroll, inner) = (scroll.as_u64().unwrap_or(u64::MAX), inner.as_u64().unwrap_or(0));
        let wide = self
            .script(
                "return [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > \
                 window.innerWidth + 1 && !e.closest('.table-wrap')).slice(0, 5).map((e) => e.outerHTML.slice(0, 120))",
            )
            .await;
        assert!(scroll <= inner, "the page is {scroll} px wide in a {inner} px window; too wide: {wide}");
        for id in ids {
            let placed = self
                .script(&format!(
                    "const e = document.getElementById('{id}'); if (!e || e.offsetParent === null) return null; \
                     const r = e.getBoundingClientRect(); return [r.left, r.right, r.width, r.height]"
                ))
                .await;
            let numbers: Vec<f64> = placed.as_array().into_iter().flatten().filter_map(Value::as_f64).collect();
            assert!(
                matches!(numbers[..], [left, right, w, h] if left >= 0.0 && right <= inner as f64 + 0.5 && w > 0.0 && h > 0.0),
                "#{id} is not visible inside the {inner} px window: {placed}"
            );
        }
        // Wide tables scroll inside their own box instead of widening the page.
        let boxes = self
            .script("return [...document.querySelectorAll('.table-wrap')].map((e) => e.getBoundingClientRect().right)")
            .await;
        for right in boxes.as_array().into_iter().flatten().filter_map(Value::as_f64) {
            assert!(right <= inner as f64 + 0.5, "a table box ends at {right} px in a {inner} px window");
        }
    }

    /// The status line `id` once it says `outcome`: its text.
    async fn outcome(&self, id: &str, outcome: &str) -> String {
        self.wait_until(
            &format!("#{id} saying {outcome}"),
            &format!("return document.getElementById('{id}').dataset.outcome === '{outcome}'"),
        )
        .await;
        self.script(&format!("return document.getElementById('{id}').innerText"))
            .await
            .as_str()
            .unwrap_or("")
            .to_string()
    }
}

/// A blocking `DELETE /session/ID` for Drop, where nothing can be awaited: chromedriver then quits Chromium.
fn delete_session(port: u16, session: &str) {
    let Ok(mut stream) = std::net::TcpStream::connect(("127.0.0.1", port)) else { return };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_ok() {
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
    }
}

/// Processes whose command line names `profile` (the Chromium this test started, and its helpers).
fn processes_using(profile: &Path) -> Vec<u32> {
    let needle = profile.to_string_lossy().into_owned();
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|cmdline| String::from_utf8_lossy(&cmdline).contains(&needle))
        })
        .collect()
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(session) = self.session.take() {
            delete_session(self.port, &session);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        for pid in processes_using(&self.profile) {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
        // Chromium may still be writing its profile for a moment after it is killed.
        for _ in 0..20 {
            if std::fs::remove_dir_all(&self.profile).is_ok() || !self.profile.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

fn comment(id: &str, user: &str, text: &str) -> Comment {
    Comment {
        platform: Platform::Twitch,
        id: CommentId(id.into()),
        user_id: format!("uid-{user}"),
        user_name: user.into(),
        text: text.into(),
        time: UnixMs(1_795_694_400_000),
        paid: None,
        flags: CommentFlags::default(),
    }
}

async fn next_input(inputs: &mut mpsc::Receiver<Input>, what: &str) -> Input {
    match tokio::time::timeout(Duration::from_secs(15), inputs.recv()).await {
        Ok(Some(input)) => input,
        other => panic!("{what} never reached the show's channel: {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs Chromium and chromedriver (packages chromium chromium-driver)"]
async fn a_moderator_logs_in_approves_a_reply_says_a_line_and_sees_the_transcript_in_chromium() {
    for program in [CHROMEDRIVER, CHROMIUM] {
        testkit::need(&format!("{program} (packages chromium chromium-driver)"), Path::new(program).exists());
    }
    let (tx, mut inputs) = mpsc::channel(16);
    let (events, _) = broadcast::channel(64);
    let price = Money::parse_decimal("199.00", model::Currency::parse("CNY").expect("CNY")).expect("a price");
    let tea = Product::new("tea-set", Localized::one(Lang::En, "Celadon Tea Set".to_string()), price);
    let (_products, products_rx) = watch::channel(vec![tea]);
    let mut config = ConsoleConfig::new(ConsoleToken::new(TOKEN).expect("a token"), tx, events.clone(), products_rx);
    // The test plays the show and answers each input as soon as it reads it; a slow machine gets time.
    config.limits.outcome_wait = Duration::from_secs(10);
    let dir = std::env::temp_dir().join(format!("shopcast-console-browser-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = crate::store::Store::open(&dir.join("audit.db"), 1).expect("a store");
    // The moderator logs in with a named account, as `shopcast console add-user ann --role admin` made it.
    let hash = super::accounts::hash_password("ann's long passphrase").expect("a hash");
    assert!(store.add_account("ann", super::Role::Admin, &hash, model::UnixMs(0)).expect("the account is added"));
    let hash = super::accounts::hash_password("wei's long passphrase").expect("a hash");
    assert!(store.add_account("wei", super::Role::Merchandiser, &hash, model::UnixMs(0)).expect("added"));
    config.keep_in(crate::store::StoreHandle::spawn(store).expect("the store's thread").0);
    let state = ConsoleState::new(config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let console = format!("http://{}", listener.local_addr().expect("an address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(serve_listener(listener, state, async move {
        let _ = stopped.await;
    }));

    let browser = Browser::start().await;
    // Without a session the console sends the browser to the login form.
    browser.open(&format!("{console}/")).await;
    let user_field = browser.wait_for("#user").await;
    browser.type_into(&user_field, "ann").await;
    let password_field = browser.wait_for("#password").await;
    browser.type_into(&password_field, "ann's long passphrase").await;
    let login = browser.wait_for("#login").await;
    browser.click(&login).await;
    browser.wait_until("the live feed", "return document.body.dataset.feed === 'live'").await;
    assert!(browser.page_text().await.contains("Celadon Tea Set"), "the products are listed");
    assert!(browser.page_text().await.contains("You: ann (admin)"), "the page says who is logged in");
    // No [obs] section: no OBS buttons.
    assert_eq!(browser.script("return document.getElementById('obs-controls').hidden").await, true);
    assert_eq!(browser.script("return document.getElementById('obs-start-streaming').offsetParent").await, Value::Null);

    // A reply waits for approval; the moderator approves it in the page, and the show confirms.
    events
        .send(ConsoleEvent::ReplyPending {
            line: LineId(21),
            kind: LineKind::Answer(Intent::ProductQuestion),
            product: Some(ProductId("tea-set".into())),
            text: "Yes, the teapot holds 450 ml.".into(),
            lang: Lang::En,
            trigger: Some(comment("c-21", "Mei", "how much does the teapot hold?")),
        })
        .expect("the page listens");
    let item = browser.wait_for("#pending li[data-line='21']").await;
    let shown = browser.text_of(&item).await;
    assert!(shown.contains("Yes, the teapot holds 450 ml.") && shown.contains("Mei"), "{shown}");
    assert!(shown.contains("Answer · product question"), "{shown}");
    let approve = browser.wait_for("#pending li[data-line='21'] button.approve").await;
    browser.click(&approve).await;
    assert_eq!(
        next_input(&mut inputs, "the approval").await,
        Input::ApproveReply { line: LineId(21), by: "ann".into() }
    );
    events
        .send(ConsoleEvent::ReplyResolved { line: LineId(21), outcome: model::ReplyOutcome::Approved })
        .expect("the page listens");
    let approved = browser.outcome("queue-status", "done").await;
    assert!(approved.contains("Approved line-21"), "{approved}");

    // "Say this now" with words the show refuses: the status next to the form says so, with the words and the
    // rule, and the words stay in the box to be fixed.
    let say = browser.wait_for("#say-text").await;
    browser.type_into(&say, "Drink this daily. This tea cures colds.").await;
    let button = browser.wait_for("#say-button").await;
    browser.click(&button).await;
    assert_eq!(
        next_input(&mut inputs, "the refused line").await,
        Input::SayNow { text: "Drink this daily. This tea cures colds.".into(), lang: None, by: "ann".into() }
    );
    events
        .send(ConsoleEvent::ModeratorAction {
            action: "say-now refused: \"This tea cures colds.\" breaks the rule medical_claim".into(),
        })
        .expect("the page listens");
    let refused = browser.outcome("say-status", "refused").await;
    assert!(refused.contains("This tea cures colds.") && refused.contains("medical_claim"), "{refused}");
    assert!(!refused.contains("Sent"), "{refused}");
    assert_eq!(
        browser.script("return document.getElementById('say-text').value").await,
        "Drink this daily. This tea cures colds."
    );
    let colour = browser.script("return getComputedStyle(document.getElementById('say-status')).color").await;
    assert_eq!(colour, "rgb(161, 27, 27)", "refused is shown in the danger colour");

    // Words the show takes: queued as a line, then on air when it airs.
    browser.script("document.getElementById('say-text').value = ''").await;
    browser.type_into(&say, "Thanks for watching, everyone!").await;
    browser.click(&button).await;
    assert_eq!(
        next_input(&mut inputs, "the line to say").await,
        Input::SayNow { text: "Thanks for watching, everyone!".into(), lang: None, by: "ann".into() }
    );
    events
        .send(ConsoleEvent::ModeratorAction { action: "say now as line-22: Thanks for watching, everyone!".into() })
        .expect("the page listens");
    let queued = browser.outcome("say-status", "queued").await;
    assert!(queued.contains("Queued as line-22"), "{queued}");
    assert_eq!(browser.script("return document.getElementById('say-text').value").await, "");
    let aired = |line: u64, kind: LineKind, source: LineSource, text: &str, note: Option<&str>| {
        ConsoleEvent::LineAired(AiredLine {
            line: LineId(line),
            t_ms: 90_000 + line * 1000,
            kind,
            product: Some(ProductId("tea-set".into())),
            text: text.into(),
            lang: Lang::En,
            source,
            duration_ms: 2_000,
            note: note.map(str::to_string),
            fallbacks: Vec::new(),
            trigger: (kind == LineKind::Answer(Intent::PriceStockShipping))
                .then(|| comment("c-23", "Ann", "how big is it?")),
            wall: UnixMs(1_795_694_401_000),
            guard: Vec::new(),
            by: None,
            asked_by: 0,
        })
    };
    events
        .send(aired(22, LineKind::Moderator, LineSource::Moderator, "Thanks for watching, everyone!", None))
        .expect("the page listens");
    let on_air = browser.outcome("say-status", "done").await;
    assert!(on_air.contains("On air now: line-22"), "{on_air}");

    // The transcript names kinds as people say them, with why a line was said.
    for event in [
        aired(
            23,
            LineKind::Answer(Intent::PriceStockShipping),
            LineSource::Template,
            "The teapot holds 450 millilitres.",
            Some("the writer took too long"),
        ),
        aired(24, LineKind::Pitch(model::Facet::Hook), LineSource::Llm, "Meet the celadon tea set.", None),
        aired(25, LineKind::Filler, LineSource::Template, "Stay with me a moment.", Some("holding line")),
    ] {
        events.send(event).expect("the page listens");
    }
    // A gift and a thanks line: the gift is listed beside the chat, the thanks named as people say it.
    events
        .send(ConsoleEvent::Support(model::Support {
            platform: model::Platform::Douyin,
            user_id: "d-1".into(),
            user_name: "Mei".into(),
            kind: model::SupportKind::Gift { name: "Rose".into(), count: 5 },
            amount: None,
            text: "Mei sent Rose x5".into(),
            time: model::UnixMs(0),
        }))
        .expect("the page listens");
    events
        .send(aired(26, LineKind::Thanks, LineSource::Template, "Thank you for the gift, Mei.", None))
        .expect("the page listens");
    let gift = browser.wait_for("#support li").await;
    let listed = browser.text_of(&gift).await;
    assert!(listed.contains("Mei") && listed.contains("gift: Rose x5") && listed.contains("douyin"), "{listed}");
    let line = browser.wait_for("#transcript li[data-line='26']").await;
    assert!(browser.text_of(&line).await.contains("Thanks"), "{}", browser.text_of(&line).await);
    let line = browser.wait_for("#transcript li[data-line='25']").await;
    assert!(browser.text_of(&line).await.contains("Holding line"));
    let line = browser.wait_for("#transcript li[data-line='23']").await;
    let shown = browser.text_of(&line).await;
    assert!(shown.contains("The teapot holds 450 millilitres."), "{shown}");
    assert!(shown.contains("why: the writer took too long") && shown.contains("answering Ann"), "{shown}");
    let kinds =
        browser.script("return [...document.querySelectorAll('#transcript .kind')].map((k) => k.textContent)").await;
    assert_eq!(kinds, json!(["Thanks", "Holding line", "Pitch · hook", "Answer · price/stock/shipping", "Moderator"]));
    let transcript = browser.script("return document.getElementById('transcript').innerText").await;
    assert!(!transcript.as_str().unwrap_or("{").contains('{'), "no raw JSON kinds: {transcript}");

    // An escalation: the moderator claims it; every page shows who has it.
    events
        .send(ConsoleEvent::Escalated {
            comment: comment("c-30", "Bea", "It arrived broken, I want my money back"),
            intent: Intent::ComplaintOrRefund,
            reason: None,
            care: None,
        })
        .expect("the page listens");
    // A question the product data does not answer comes with its reason.
    events
        .send(ConsoleEvent::Escalated {
            comment: comment("c-31", "Cy", "does it come with a warranty?"),
            intent: Intent::ProductQuestion,
            reason: Some("the product data about mug does not answer this question".into()),
            care: None,
        })
        .expect("the page listens");
    let unanswered = browser.text_of(&browser.wait_for("#escalations li[data-comment='c-31']").await).await;
    assert!(unanswered.contains("Why: the product data about mug does not answer"), "{unanswered}");
    // A viewer in crisis comes first, marked as care, whatever came before.
    events
        .send(ConsoleEvent::Escalated {
            comment: comment("c-32", "Ro", "i don't want to be alive anymore"),
            intent: Intent::Other,
            reason: Some("care: crisis (the words \"don't want to be alive\")".into()),
            care: Some(model::CareKind::Crisis),
        })
        .expect("the page listens");
    browser.wait_for("#escalations li.care[data-comment='c-32']").await;
    let first = browser.script("return document.querySelector('#escalations li').dataset.comment").await;
    assert_eq!(first, "c-32", "the care escalation is listed first");
    let shown = browser.text_of(&browser.wait_for("#escalations li[data-comment='c-32']").await).await;
    assert!(shown.contains("Care: crisis"), "{shown}");
    let title = browser.script("return document.title").await;
    assert!(title.as_str().is_some_and(|t| t.starts_with("(1) Care:")), "the page title calls for a person: {title}");
    let claim = browser.wait_for("#escalations li[data-comment='c-30'] button.claim").await;
    let shown = browser.text_of(&browser.wait_for("#escalations li[data-comment='c-30']").await).await;
    assert!(shown.contains("Open: nobody has claimed it") && shown.contains("complaint/refund"), "{shown}");
    browser.click(&claim).await;
    let claimed = browser.outcome("escalations-status", "done").await;
    assert!(claimed.contains("Claimed by ann"), "{claimed}");
    browser
        .wait_until(
            "the claim on the escalation",
            "const e = document.querySelector(\"#escalations li[data-comment='c-30'] .handling\"); \
             return !!e && e.textContent.startsWith('Claimed by ann (you)')",
        )
        .await;
    let handled = browser.wait_for("#escalations li[data-comment='c-30'] button.handled").await;
    browser.click(&handled).await;
    browser
        .wait_until(
            "the escalation marked handled",
            "const e = document.querySelector(\"#escalations li[data-comment='c-30'] .handling\"); \
             return !!e && e.textContent.startsWith('Handled by ann')",
        )
        .await;

    // A price the console holds over a product file that now says otherwise: shown with the file's value, and
    // given back to the file with one button.
    let cny = |amount: &str| Money::parse_decimal(amount, model::Currency::parse("CNY").expect("CNY")).expect("money");
    events
        .send(ConsoleEvent::OverridesChanged(model::StandingOverrides {
            products: vec![model::ProductOverride {
                product: ProductId("tea-set".into()),
                price: Some(model::PriceOverride {
                    price: cny("149"),
                    compare_at: None,
                    file_price: cny("189"),
                    file_compare_at: None,
                    by: Some("ann".into()),
                }),
                stock: None,
                flash_sale: None,
                since: UnixMs(1_795_694_400_000),
            }],
            pinned: None,
        }))
        .expect("the page listens");
    let note = browser.wait_for("#products tr[data-product='tea-set'] .override-note").await;
    let shown = browser.text_of(&note).await;
    assert!(shown.contains("price ¥149.00 (file: ¥189.00)") && shown.contains("by ann"), "{shown}");
    let clear = browser.wait_for("#products tr[data-product='tea-set'] button.clear-override").await;
    browser.click(&clear).await;
    assert_eq!(
        next_input(&mut inputs, "the clear").await,
        Input::ClearOverride { product: ProductId("tea-set".into()) }
    );
    events
        .send(ConsoleEvent::ModeratorAction {
            action: "cleared the console's changes to tea-set: the product file's values are back".into(),
        })
        .expect("the page listens");
    let cleared = browser.outcome("products-status", "done").await;
    assert!(cleared.contains("Cleared the console's changes to tea-set"), "{cleared}");
    events.send(ConsoleEvent::OverridesChanged(model::StandingOverrides::default())).expect("the page listens");
    browser
        .wait_until(
            "the note gone",
            "return !document.querySelector(\"#products tr[data-product='tea-set'] .override-note\")",
        )
        .await;

    // Viewer text is shown as text, never run as markup.
    events
        .send(ConsoleEvent::CommentTriaged {
            comment: comment("c-23", "Mallory", "<img src=x onerror=\"document.title='owned'\"><b>bold</b>"),
            label: TriageLabel::new(Intent::ProductQuestion, 0.8),
        })
        .expect("the page listens");
    let chat = browser.wait_for("#chat li[data-comment='c-23']").await;
    assert!(browser.text_of(&chat).await.contains("<b>bold</b>"), "the markup is shown literally");
    assert_eq!(browser.script("return document.querySelectorAll('#chat img, #chat b').length").await, 0);
    assert_ne!(browser.script("return document.title").await, "owned");
    // A long word with no place to break, as spam often is.
    events
        .send(ConsoleEvent::CommentTriaged {
            comment: comment("c-24", "Spammer", &"buyfollowersnow".repeat(12)),
            label: TriageLabel::new(Intent::Other, 0.5),
        })
        .expect("the page listens");
    browser.wait_for("#chat li[data-comment='c-24']").await;

    // Slow, plain speech: the button sends the switch, and the page shows the pace the show reports.
    let plain = browser.wait_for("#pace-plain").await;
    browser.click(&plain).await;
    assert_eq!(next_input(&mut inputs, "the pace").await, Input::SetPace(model::Pace::Plain));
    events
        .send(ConsoleEvent::ModeratorAction {
            action: "pace: slow, plain speech is on until a moderator switches it off".into(),
        })
        .expect("the page listens");
    events
        .send(ConsoleEvent::PaceChanged {
            pace: model::Pace::Plain,
            until: None,
            why: "a moderator switched it".into(),
        })
        .expect("the page listens");
    let switched = browser.outcome("on-air-status", "done").await;
    assert!(switched.contains("slow, plain speech"), "{switched}");
    browser
        .wait_until(
            "the pace shown",
            "return document.getElementById('pace-now').textContent.includes('slow, plain speech')",
        )
        .await;
    browser.script("document.getElementById('on-air-status').dataset.outcome = ''").await;

    // From a phone to a wall screen: the page never gets wider than the window, the controls stay in it, and an
    // action's status still reads right.
    let controls = [
        "abort",
        "cancel-next",
        "next-product",
        "hand-over",
        "take-back",
        "pace-plain",
        "pace-usual",
        "say-text",
        "say-button",
        "logout",
        "chat-search",
    ];
    for (width, height) in [(390, 844), (1920, 1080)] {
        browser.resize(width, height).await;
        browser.assert_fits(&controls).await;
        let abort = browser.wait_for("#abort").await;
        browser.click(&abort).await;
        assert_eq!(next_input(&mut inputs, "the abort").await, Input::AbortLine);
        events.send(ConsoleEvent::ModeratorAction { action: "aborted line-25".into() }).expect("the page listens");
        let aborted = browser.outcome("on-air-status", "done").await;
        assert!(aborted.contains("Aborted line-25"), "{aborted} at {width} px");
        browser.script("document.getElementById('on-air-status').dataset.outcome = ''").await;
        browser.assert_fits(&controls).await;
    }

    // A merchandiser is offered the products and not the conversation (the server refuses those with 403 anyway).
    let logout = browser.wait_for("#logout").await;
    browser.click(&logout).await;
    browser.open(&format!("{console}/")).await;
    let user_field = browser.wait_for("#user").await;
    browser.type_into(&user_field, "wei").await;
    let password_field = browser.wait_for("#password").await;
    browser.type_into(&password_field, "wei's long passphrase").await;
    let login = browser.wait_for("#login").await;
    browser.click(&login).await;
    browser.wait_until("the merchandiser's page", "return document.body.dataset.role === 'merchandiser'").await;
    browser.wait_for("#products tr[data-product='tea-set'] .price-form").await;
    for (selector, shown) in
        [("#say-form", false), ("#abort", false), ("#products tr[data-product='tea-set'] .price-form", true)]
    {
        let visible = browser.script(&format!("return !!document.querySelector(\"{selector}\").offsetParent")).await;
        assert_eq!(visible, shown, "{selector} for a merchandiser");
    }
    assert!(browser.page_text().await.contains("You: wei (merchandiser)"));

    drop(browser);
    let _ = stop.send(());
    let _ = tokio::time::timeout(Duration::from_secs(5), server).await;
    let _ = std::fs::remove_dir_all(&dir);
}
