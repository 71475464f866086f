//! Leases against a real nats-server with JetStream, started by the test on 127.0.0.1.

use async_nats::jetstream;
use fleet::RoomId;
use fleet::lease::Leases;
use std::time::Duration;
use testkit::servers::Nats;

async fn leases(nats: &Nats, worker: &str, ttl: Duration) -> Leases {
    // A server just started on a loaded machine may reset the first connection while JetStream comes up.
    let mut tries = 0;
    let client = loop {
        match async_nats::connect(nats.url()).await {
            Ok(client) => break client,
            Err(e) if tries < 5 => {
                tries += 1;
                eprintln!("connecting to nats-server, try {tries}: {e}");
                tokio::time::sleep(Duration::from_millis(300)).await;
            }
            Err(e) => panic!("nats-server at {} refused six connections: {e}", nats.url()),
        }
    };
    Leases::open(&jetstream::new(client), worker, ttl).await.unwrap()
}

async fn take(leases: &Leases, order: Vec<RoomId>) -> Vec<fleet::lease::Lease> {
    let mut won = Vec::new();
    for room in order {
        if let Some(lease) = leases.try_acquire(&room).await.unwrap() {
            won.push(lease);
        }
    }
    won
}

fn named_rooms(prefix: &str, n: usize) -> Vec<RoomId> {
    (0..n).map(|i| RoomId::parse(&format!("{prefix}-{i}")).unwrap()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server"]
async fn two_workers_racing_for_the_same_rooms_never_share_one() {
    let nats = Nats::start();
    let ttl = Duration::from_secs(30);
    let (a, b) = (leases(&nats, "a", ttl).await, leases(&nats, "b", ttl).await);
    // Both handles warmed up first, so neither race is decided by one side's first round trip to the server.
    let warm = RoomId::parse("warm-up").unwrap();
    assert!(a.holder(&warm).await.unwrap().is_none() && b.holder(&warm).await.unwrap().is_none());
    // Both ask for every room at the same moment, in opposite orders. On a loaded machine one side can still take
    // all of them before the other's first answer (CI saw 40 and 0): the race is run again on new rooms, up to three
    // times, until both sides won some. Every run must hold: each room held by exactly one worker.
    let (mut won_a, mut won_b) = (Vec::new(), Vec::new());
    for attempt in 0..3 {
        let rooms = named_rooms(&format!("race{attempt}"), 40);
        let reversed: Vec<RoomId> = rooms.iter().rev().cloned().collect();
        (won_a, won_b) = tokio::join!(take(&a, rooms.clone()), take(&b, reversed));
        assert_eq!(won_a.len() + won_b.len(), rooms.len(), "every room is held by exactly one worker");
        for lease in &won_a {
            assert!(won_b.iter().all(|other| other.room != lease.room), "{} held twice", lease.room);
            assert_eq!(a.holder(&lease.room).await.unwrap().unwrap().worker, "a");
        }
        if !won_a.is_empty() && !won_b.is_empty() {
            break;
        }
    }
    assert!(!won_a.is_empty() && !won_b.is_empty(), "both workers got rooms ({} and {})", won_a.len(), won_b.len());
    // Renewals keep them; the other worker still cannot take them.
    for lease in won_a.iter_mut() {
        assert!(a.renew(lease).await.unwrap());
        assert!(b.try_acquire(&lease.room).await.unwrap().is_none());
    }
    // A worker cannot renew a lease with another's revision.
    let mut stolen = won_b[0].clone();
    stolen.revision = won_a[0].revision;
    assert!(!b.renew(&mut stolen).await.unwrap());
    // Given back, a room is free at once.
    let given = won_a.pop().unwrap();
    let room = given.room.clone();
    a.release(given).await.unwrap();
    let retaken = b.try_acquire(&room).await.unwrap().expect("a released room is free");
    assert!(retaken.epoch > 0);
    won_b.push(retaken);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs nats-server"]
async fn a_lease_not_renewed_expires_and_its_holder_learns_it_lost() {
    let nats = Nats::start();
    let ttl = Duration::from_secs(2);
    let (a, b) = (leases(&nats, "a", ttl).await, leases(&nats, "b", ttl).await);
    let room = RoomId::parse("expiring").unwrap();
    let mut held = a.try_acquire(&room).await.unwrap().unwrap();
    // Renewed inside the period, it stays.
    for _ in 0..3 {
        tokio::time::sleep(ttl / 3).await;
        assert!(a.renew(&mut held).await.unwrap());
        assert!(b.try_acquire(&room).await.unwrap().is_none());
    }
    // Not renewed, it is free within the period and a little more (the server's expiry timer).
    let started = std::time::Instant::now();
    let taken = loop {
        if let Some(lease) = b.try_acquire(&room).await.unwrap() {
            break lease;
        }
        assert!(started.elapsed() < ttl * 3, "the lease did not expire");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(started.elapsed() >= ttl - Duration::from_millis(700), "expired early: {:?}", started.elapsed());
    assert!(taken.epoch > held.epoch, "a new holding has a later epoch");
    assert!(!a.renew(&mut held).await.unwrap(), "the old holder's renewal fails");
    // A worker asking for another period renews on the bucket's own.
    let late = leases(&nats, "c", Duration::from_secs(30)).await;
    assert_eq!(late.ttl(), ttl, "the bucket's lease period wins");
    assert_eq!(b.holder(&room).await.unwrap().unwrap().worker, "b");
}
