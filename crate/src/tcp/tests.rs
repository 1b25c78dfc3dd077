//! Hand-made segment sequences for every rule of the tracker: each test builds a tiny
//! conversation with [`Conv`] and asserts the exact frames involved.

use super::seq::{ACK, FIN, PSH, RST, SYN};
use super::*;
use crate::capture::Timestamp;
use crate::decode::{TcpOption, TcpSegment};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const CLIENT: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1));
const SERVER: IpAddr = IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2));

/// What the tests look at: every frame's facts and the connections.
struct Tracked {
    frames: Vec<TcpFrameFacts>,
    connections: Vec<Connection>,
}

/// Ends a tracker whose frames' times were `times` (ns, frame 1 first).
fn finish(tracker: TcpTracker, times: &[i128]) -> Tracked {
    let ts_of = |number: u32| {
        number
            .checked_sub(1)
            .and_then(|i| times.get(i as usize))
            .copied()
            .unwrap_or(0)
    };
    let (analysis, _) = tracker.finish();
    Tracked {
        frames: analysis.all_facts(&ts_of),
        connections: analysis.connections(&ts_of).collect(),
    }
}

/// One segment to feed: who sends it and its header fields (raw numbers).
#[derive(Clone)]
struct Seg {
    from_client: bool,
    ts_us: i64,
    seq: u32,
    ack: u32,
    flags: u16,
    window: u16,
    len: u32,
    options: Vec<TcpOption>,
}

/// A generator of segments between CLIENT:40000 and SERVER:80, numbered from 1.
struct Conv {
    segs: Vec<Seg>,
    client_port: u16,
}

impl Conv {
    fn new() -> Self {
        Conv {
            segs: Vec::new(),
            client_port: 40000,
        }
    }
    #[allow(clippy::too_many_arguments)]
    fn seg(
        &mut self,
        from_client: bool,
        ts_us: i64,
        seq: u32,
        ack: u32,
        flags: u16,
        window: u16,
        len: u32,
    ) -> &mut Self {
        self.segs.push(Seg {
            from_client,
            ts_us,
            seq,
            ack,
            flags,
            window,
            len,
            options: Vec::new(),
        });
        self
    }
    fn c(&mut self, ts_us: i64, seq: u32, ack: u32, flags: u16, len: u32) -> &mut Self {
        self.seg(true, ts_us, seq, ack, flags, 1000, len)
    }
    fn s(&mut self, ts_us: i64, seq: u32, ack: u32, flags: u16, len: u32) -> &mut Self {
        self.seg(false, ts_us, seq, ack, flags, 1000, len)
    }
    fn opts(&mut self, options: Vec<TcpOption>) -> &mut Self {
        if let Some(last) = self.segs.last_mut() {
            last.options = options;
        }
        self
    }
    fn run(&self) -> Tracked {
        let segments: Vec<TcpSegment> = self
            .segs
            .iter()
            .map(|s| TcpSegment {
                src_port: if s.from_client { self.client_port } else { 80 },
                dst_port: if s.from_client { 80 } else { self.client_port },
                seq: s.seq,
                ack: s.ack,
                flags: s.flags,
                window: s.window,
                payload_len: s.len,
                options: s.options.clone(),
                ..TcpSegment::default()
            })
            .collect();
        let mut tracker = TcpTracker::new();
        let mut times = Vec::new();
        for (i, (s, seg)) in self.segs.iter().zip(&segments).enumerate() {
            let (src, dst) = if s.from_client {
                (CLIENT, SERVER)
            } else {
                (SERVER, CLIENT)
            };
            let ts = Timestamp {
                secs: 1000 + s.ts_us.div_euclid(1_000_000),
                nanos: (s.ts_us.rem_euclid(1_000_000) * 1000) as u32,
            };
            times.push(ts.as_nanos());
            tracker.push(&SegmentIn {
                number: i as u32 + 1,
                ts,
                src,
                dst,
                segment: seg,
                payload: &[],
            });
        }
        finish(tracker, &times)
    }
}

/// Frame numbers (1-based) carrying `flag`.
fn frames_with(a: &Tracked, flag: Flag) -> Vec<u32> {
    a.frames
        .iter()
        .enumerate()
        .filter(|(_, f)| f.analysis.has(flag))
        .map(|(i, _)| i as u32 + 1)
        .collect()
}

const C_ISN: u32 = 1000;
const S_ISN: u32 = 5000;

/// SYN, SYN/ACK, ACK at t = 0, 100, 200 µs.
fn handshake() -> Conv {
    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0)
        .s(100, S_ISN, C_ISN + 1, SYN | ACK, 0)
        .c(200, C_ISN + 1, S_ISN + 1, ACK, 0);
    c
}

/// The tutorial's capture, raw numbers as tshark reads them from seed/demo.pcap.
fn demo() -> Tracked {
    // (µs, from client, seq, ack, flags, window, len, window scale option)
    type Row = (i64, bool, u32, u32, u16, u16, u32, Option<u8>);
    let rows: [Row; 10] = [
        (461594, true, 2169630313, 0, 0x002, 29200, 0, Some(7)),
        (
            461716,
            false,
            828247081,
            2169630314,
            0x012,
            28960,
            0,
            Some(7),
        ),
        (462032, true, 2169630314, 828247082, 0x010, 229, 0, None),
        (462094, true, 2169630314, 828247082, 0x018, 229, 97, None),
        (462102, false, 828247082, 2169630411, 0x010, 227, 0, None),
        (464705, false, 828247082, 2169630411, 0x018, 227, 126, None),
        (464966, true, 2169630411, 828247208, 0x010, 229, 0, None),
        (465122, true, 2169630411, 828247208, 0x011, 229, 0, None),
        (465519, false, 828247208, 2169630412, 0x011, 227, 0, None),
        (465734, true, 2169630412, 828247209, 0x010, 229, 0, None),
    ];
    let mut c = Conv::new();
    c.client_port = 58626;
    for (ts, from_client, seq, ack, flags, window, len, ws) in rows {
        c.seg(from_client, ts, seq, ack, flags, window, len);
        if let Some(ws) = ws {
            c.opts(vec![
                TcpOption::MaxSegmentSize(1460),
                TcpOption::WindowScale(ws),
            ]);
        }
    }
    c.run()
}

#[test]
fn demo_capture_matches_the_tutorial() {
    let a = demo();
    assert_eq!(a.frames.len(), 10);
    assert_eq!(a.connections.len(), 1);
    let seqs: Vec<u32> = a.frames.iter().map(|f| f.relative_seq).collect();
    assert_eq!(seqs, [0, 0, 1, 1, 1, 1, 98, 98, 127, 99]);
    let acks: Vec<u32> = a.frames.iter().map(|f| f.relative_ack).collect();
    assert_eq!(acks, [0, 1, 1, 1, 98, 98, 127, 127, 99, 128]);
    let next: Vec<u32> = a.frames.iter().map(|f| f.next_seq).collect();
    assert_eq!(next, [1, 1, 1, 98, 1, 127, 98, 99, 128, 99]);
    let win: Vec<u64> = a.frames.iter().map(|f| f.window_calc).collect();
    assert_eq!(
        win,
        [29200, 28960, 29312, 29312, 29056, 29056, 29312, 29312, 29056, 29312]
    );
    let acked: Vec<Option<u32>> = a.frames.iter().map(|f| f.acked_frame).collect();
    assert_eq!(
        acked,
        [
            None,
            Some(1),
            Some(2),
            None,
            Some(4),
            None,
            Some(6),
            None,
            Some(8),
            Some(9)
        ]
    );
    assert_eq!(a.frames[3].bytes_in_flight, Some(97));
    assert_eq!(a.frames[5].bytes_in_flight, Some(126));
    assert!(a.frames.iter().all(|f| f.analysis.is_empty()));

    let c = &a.connections[0];
    assert_eq!(
        c.client.to_string(),
        "192.168.0.50:58626".replace("192.168.0.50", &CLIENT.to_string())
    );
    assert!(!c.roles_guessed);
    assert_eq!(c.handshake.kind, HandshakeKind::ThreeWay);
    assert_eq!(c.handshake.frames, [1, 2, 3]);
    assert!((c.handshake.irtt().unwrap_or(0.0) - 0.000438).abs() < 1e-9);
    assert_eq!(c.close.kind, CloseKind::ThreeWay);
    assert_eq!(c.close.initiator, Some(Side::Client));
    assert_eq!(c.close.frames, [8, 9, 10]);
    assert_eq!(c.completeness.value, 31);
    assert_eq!(c.completeness.flags(), "\u{b7}FDASS");
    assert_eq!(c.conn_state, "SF");
    assert_eq!(c.history, "ShADadFf");
    assert_eq!(
        (c.packets.client_to_server, c.packets.server_to_client),
        (6, 4)
    );
    assert_eq!(
        (c.bytes.client_to_server, c.bytes.server_to_client),
        (97, 126)
    );

    use State::*;
    let client: Vec<State> = a.frames.iter().map(|f| f.state.client).collect();
    assert_eq!(
        client,
        [
            SynSent,
            Established,
            Established,
            Established,
            Established,
            Established,
            Established,
            FinWait1,
            TimeWait,
            TimeWait
        ]
    );
    let server: Vec<State> = a.frames.iter().map(|f| f.state.server).collect();
    assert_eq!(
        server,
        [
            SynReceived,
            SynReceived,
            Established,
            Established,
            Established,
            Established,
            Established,
            CloseWait,
            LastAck,
            Closed
        ]
    );
    let json = serde_json::to_string(&a.frames[0]).unwrap_or_default();
    assert!(
        json.contains("\"seq\":0") && json.contains("\"client\":\"SYN-SENT\""),
        "{json}"
    );
}

#[test]
fn four_way_close_by_server() {
    let mut c = handshake();
    c.s(300, S_ISN + 1, C_ISN + 1, FIN | ACK, 0)
        .c(400, C_ISN + 1, S_ISN + 2, ACK, 0)
        .c(500, C_ISN + 1, S_ISN + 2, FIN | ACK, 0)
        .s(600, S_ISN + 2, C_ISN + 2, ACK, 0);
    let a = c.run();
    let close = &a.connections[0].close;
    assert_eq!(close.kind, CloseKind::FourWay);
    assert_eq!(close.initiator, Some(Side::Server));
    assert_eq!(close.frames, [4, 5, 6, 7]);
    let states = EndpointStates {
        client: State::LastAck,
        server: State::TimeWait,
    };
    assert_eq!(a.frames[5].state, states);
    assert_eq!(a.frames[6].state.client, State::Closed);
    assert_eq!(a.frames[4].state.server, State::FinWait2);
}

#[test]
fn simultaneous_close() {
    let mut c = handshake();
    c.c(300, C_ISN + 1, S_ISN + 1, FIN | ACK, 0)
        .s(310, S_ISN + 1, C_ISN + 1, FIN | ACK, 0)
        .c(400, C_ISN + 2, S_ISN + 2, ACK, 0)
        .s(410, S_ISN + 2, C_ISN + 2, ACK, 0);
    let a = c.run();
    let close = &a.connections[0].close;
    assert_eq!(close.kind, CloseKind::Simultaneous);
    assert_eq!(close.frames, [4, 5, 6]);
    assert_eq!(
        a.frames[4].state,
        EndpointStates {
            client: State::Closing,
            server: State::Closing
        }
    );
    assert_eq!(
        a.frames[6].state,
        EndpointStates {
            client: State::TimeWait,
            server: State::TimeWait
        }
    );
}

#[test]
fn half_closed_and_open() {
    let mut c = handshake();
    c.c(300, C_ISN + 1, S_ISN + 1, FIN | ACK, 0)
        .s(400, S_ISN + 1, C_ISN + 2, ACK, 0);
    let a = c.run();
    assert_eq!(a.connections[0].close.kind, CloseKind::HalfClosed);
    assert_eq!(a.connections[0].close.frames, [4, 5]);
    assert_eq!(
        a.frames[4].state,
        EndpointStates {
            client: State::FinWait2,
            server: State::CloseWait
        }
    );
    let a = handshake().run();
    assert_eq!(a.connections[0].close.kind, CloseKind::Open);
    assert_eq!(a.connections[0].conn_state, "S1");
}

#[test]
fn reset_by_server_while_established() {
    let mut c = handshake();
    c.c(300, C_ISN + 1, S_ISN + 1, PSH | ACK, 10)
        .s(400, S_ISN + 1, C_ISN + 11, RST | ACK, 0);
    let a = c.run();
    let close = &a.connections[0].close;
    assert_eq!(close.kind, CloseKind::Reset);
    assert_eq!(close.initiator, Some(Side::Server));
    assert_eq!(close.frames, [5]);
    assert_eq!(close.reset_state, Some(State::Established));
    assert_eq!(a.connections[0].conn_state, "RSTR");
}

#[test]
fn refused_no_answer_and_not_captured() {
    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0).s(100, 0, C_ISN + 1, RST | ACK, 0);
    let a = c.run();
    assert_eq!(a.connections[0].handshake.kind, HandshakeKind::Refused);
    assert_eq!(a.connections[0].handshake.frames, [1, 2]);
    assert_eq!(a.connections[0].conn_state, "REJ");

    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0)
        .c(1_000_000, C_ISN, 0, SYN, 0)
        .c(3_000_000, C_ISN, 0, SYN, 0);
    let a = c.run();
    let h = &a.connections[0].handshake;
    assert_eq!(
        (h.kind, h.syn_retransmissions),
        (HandshakeKind::NoAnswer, 2)
    );
    assert_eq!(h.frames, [1, 2, 3]);
    assert_eq!(frames_with(&a, Flag::Retransmission), [2, 3]);
    assert_eq!(a.connections[0].conn_state, "S0");

    // Mid-connection start: roles from the ports, states Unknown until evidence.
    let mut c = Conv::new();
    c.s(0, S_ISN, C_ISN, PSH | ACK, 100)
        .c(100, C_ISN, S_ISN + 100, ACK, 0);
    let a = c.run();
    let conn = &a.connections[0];
    assert_eq!(conn.handshake.kind, HandshakeKind::NotCaptured);
    assert!(conn.roles_guessed);
    assert_eq!(conn.server.to_string(), "10.0.0.2:80");
    assert_eq!(a.frames[0].relative_seq, 1);
    assert_eq!(a.frames[0].state.client, State::Established);
    assert!(conn.history.starts_with('^'));
}

#[test]
fn simultaneous_open() {
    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0)
        .s(10, S_ISN, 0, SYN, 0)
        .c(20, C_ISN, S_ISN + 1, SYN | ACK, 0)
        .s(30, S_ISN, C_ISN + 1, SYN | ACK, 0);
    let a = c.run();
    assert_eq!(
        a.connections[0].handshake.kind,
        HandshakeKind::SimultaneousOpen
    );
    assert_eq!(a.connections[0].handshake.frames, [1, 2, 3, 4]);
    assert_eq!(
        a.frames[3].state,
        EndpointStates {
            client: State::Established,
            server: State::Established
        }
    );
}

#[test]
fn port_reuse_starts_a_new_stream() {
    let mut c = handshake();
    c.c(300, C_ISN + 1, S_ISN + 1, RST | ACK, 0)
        .c(10_000, 777, 0, SYN, 0)
        .s(10_100, 999, 778, SYN | ACK, 0);
    let a = c.run();
    let streams: Vec<u32> = a.frames.iter().map(|f| f.stream).collect();
    assert_eq!(streams, [0, 0, 0, 0, 1, 1]);
    assert_eq!(frames_with(&a, Flag::ReusedPorts), [5]);
    assert_eq!(a.frames[4].info_prefix(), "[TCP Port numbers reused] ");
    assert_eq!(a.connections.len(), 2);
    // Same ISN again: a retransmission of the SYN, not a new stream.
    let mut c = handshake();
    c.c(300, C_ISN, 0, SYN, 0);
    let a = c.run();
    assert_eq!(a.frames[3].stream, 0);
    assert_eq!(frames_with(&a, Flag::Retransmission), [4]);
}

/// Handshake then the client sends 3 × 100 bytes from relative seq 1.
fn with_data() -> Conv {
    let mut c = handshake();
    c.c(1000, C_ISN + 1, S_ISN + 1, ACK, 100)
        .c(1010, C_ISN + 101, S_ISN + 1, ACK, 100)
        .c(1020, C_ISN + 201, S_ISN + 1, ACK, 100);
    c
}

#[test]
fn lost_segment_and_acked_unseen() {
    let mut c = handshake();
    c.c(1000, C_ISN + 1, S_ISN + 1, ACK, 100)
        .c(1010, C_ISN + 201, S_ISN + 1, ACK, 100) // 101..201 not captured
        .s(1100, S_ISN + 1, C_ISN + 301, ACK, 0);
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::LostSegment), [5]);
    assert_eq!(frames_with(&a, Flag::AckLostSegment), [6]);
    assert_eq!(
        a.frames[4].info_prefix(),
        "[TCP Previous segment not captured] "
    );
}

/// tshark 4.0 reports "ACKed unseen segment" again for a second hole in the same direction
/// (reassembly.pcap frames 8-10), and when the ACK covers the hole the other side's data left
/// (frames 86-88), but only once for ACKs beyond everything sent while that side's ACK value
/// stays the same (frames 105-107 and the repeats after them).
#[test]
fn acked_unseen_again_for_a_new_hole() {
    let mut c = handshake();
    c.c(1000, C_ISN + 1, S_ISN + 1, ACK, 100) // 4: 1..101
        .s(1100, S_ISN + 1, C_ISN + 121, ACK, 0) // 5: acks 121, only 101 seen
        .c(1200, C_ISN + 121, S_ISN + 1, ACK, 100) // 6: 121..221, hole 101..121
        .s(1300, S_ISN + 1, C_ISN + 221, ACK, 0) // 7: acks across the hole
        .s(1400, S_ISN + 1, C_ISN + 221, ACK, 0) // 8: dup ACK, nothing new
        .c(1500, C_ISN + 221, S_ISN + 1, ACK, 100) // 9: 221..321
        .s(1600, S_ISN + 1, C_ISN + 421, ACK, 0) // 10: beyond everything sent: silenced,
        // the client's counter is parked since 5 and its ACK value has not changed
        .s(1700, S_ISN + 1, C_ISN + 521, ACK, 0) // 11: further still: silenced
        .c(1800, C_ISN + 421, S_ISN + 1, ACK, 100) // 12: 421..521, hole 321..421
        .s(1900, S_ISN + 1, C_ISN + 521, ACK, 0); // 13: the new hole is reported
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::AckLostSegment), [5, 7, 13]);
    // The client's ACK value changes: its parked counter is released, the next ACK beyond
    // everything it sent is reported again.
    let mut c = handshake();
    c.c(1000, C_ISN + 1, S_ISN + 1, ACK, 100) // 4
        .s(1100, S_ISN + 1, C_ISN + 201, ACK, 0) // 5: beyond everything sent
        .c(1200, C_ISN + 101, S_ISN + 1, ACK, 100) // 6: 101..201, same ACK value
        .s(1300, S_ISN + 1, C_ISN + 301, ACK, 10) // 7: beyond again: silenced
        .c(1400, C_ISN + 201, S_ISN + 11, ACK, 0) // 8: the client's ACK value changes
        .s(1500, S_ISN + 11, C_ISN + 401, ACK, 0); // 9: reported again
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::AckLostSegment), [5, 9]);
}

#[test]
fn retransmission_spurious_and_out_of_order() {
    // Plain retransmission long after the original.
    let mut c = with_data();
    c.c(500_000, C_ISN + 101, S_ISN + 1, ACK, 100);
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::Retransmission), [7]);
    assert_eq!(a.frames[6].info_prefix(), "[TCP Retransmission] ");

    // Spurious: the data was already acknowledged.
    let mut c = with_data();
    c.s(1100, S_ISN + 1, C_ISN + 301, ACK, 0)
        .c(500_000, C_ISN + 101, S_ISN + 1, ACK, 100);
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::SpuriousRetransmission), [8]);

    // Out of order: an older segment within 3 ms (iRTT is 200 µs here, so within that).
    let mut c = handshake();
    c.c(1000, C_ISN + 101, S_ISN + 1, ACK, 100)
        .c(1050, C_ISN + 1, S_ISN + 1, ACK, 100);
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::LostSegment), [4]);
    assert_eq!(frames_with(&a, Flag::OutOfOrder), [5]);
}

#[test]
fn duplicate_acks_and_fast_retransmission() {
    let mut c = with_data();
    c.s(2000, S_ISN + 1, C_ISN + 101, ACK, 0) // 7: acks the first segment
        .s(2001, S_ISN + 1, C_ISN + 101, ACK, 0) // 8: dup #1
        .s(2002, S_ISN + 1, C_ISN + 101, ACK, 0) // 9: dup #2
        .c(2010, C_ISN + 101, S_ISN + 1, ACK, 100); // 10: fast retransmission
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::DuplicateAck), [8, 9]);
    assert_eq!(
        (a.frames[8].dup_ack_of, a.frames[8].dup_ack_num),
        (Some(7), Some(2))
    );
    assert_eq!(a.frames[8].info_prefix(), "[TCP Dup ACK 7#2] ");
    assert_eq!(frames_with(&a, Flag::FastRetransmission), [10]);
    assert_eq!(frames_with(&a, Flag::Retransmission), Vec::<u32>::new());
    assert_eq!(a.frames[6].acked_frame, Some(4));
}

#[test]
fn window_flags() {
    let mut c = handshake();
    c.seg(false, 1000, S_ISN + 1, C_ISN + 1, ACK, 0, 0) // 4: zero window
        .c(2000, C_ISN + 1, S_ISN + 1, ACK, 1) // 5: zero window probe
        .seg(false, 2100, S_ISN + 1, C_ISN + 1, ACK, 0, 0) // 6: probe ACK
        .seg(false, 3000, S_ISN + 1, C_ISN + 1, ACK, 500, 0) // 7: window update
        .c(4000, C_ISN + 1, S_ISN + 1, ACK, 500); // 8: fills the 500-byte window
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::ZeroWindow), [4, 6]);
    assert_eq!(frames_with(&a, Flag::ZeroWindowProbe), [5]);
    assert_eq!(frames_with(&a, Flag::ZeroWindowProbeAck), [6]);
    assert_eq!(
        a.frames[5].info_prefix(),
        "[TCP ZeroWindowProbeAck] [TCP ZeroWindow] "
    );
    assert_eq!(frames_with(&a, Flag::WindowUpdate), [7]);
    assert_eq!(frames_with(&a, Flag::WindowFull), [8]);
    assert!(a.connections[0].history.contains('w'));
}

#[test]
fn keep_alive_and_its_ack() {
    let mut c = with_data();
    c.s(2000, S_ISN + 1, C_ISN + 301, ACK, 0)
        .c(60_000_000, C_ISN + 300, S_ISN + 1, ACK, 0)
        .s(60_000_100, S_ISN + 1, C_ISN + 301, ACK, 0);
    let a = c.run();
    assert_eq!(frames_with(&a, Flag::KeepAlive), [8]);
    assert_eq!(frames_with(&a, Flag::KeepAliveAck), [9]);
    assert_eq!(frames_with(&a, Flag::DuplicateAck), Vec::<u32>::new());
    assert_eq!(a.frames[8].info_prefix(), "[TCP Keep-Alive ACK] ");
}

#[test]
fn window_scaling_needs_both_syns() {
    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0)
        .opts(vec![TcpOption::WindowScale(7)])
        .s(100, S_ISN, C_ISN + 1, SYN | ACK, 0)
        .opts(vec![TcpOption::WindowScale(3)])
        .c(200, C_ISN + 1, S_ISN + 1, ACK, 0)
        .s(300, S_ISN + 1, C_ISN + 1, ACK, 0);
    let a = c.run();
    let win: Vec<u64> = a.frames.iter().map(|f| f.window_calc).collect();
    assert_eq!(win, [1000, 1000, 128_000, 8000]);
    // The SYN/ACK omits the option: nobody scales.
    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0)
        .opts(vec![TcpOption::WindowScale(7)])
        .s(100, S_ISN, C_ISN + 1, SYN | ACK, 0)
        .c(200, C_ISN + 1, S_ISN + 1, ACK, 0);
    assert_eq!(c.run().frames[2].window_calc, 1000);
    // No SYN seen: as sent.
    let mut c = Conv::new();
    c.c(0, C_ISN, S_ISN, ACK, 10);
    assert_eq!(c.run().frames[0].window_calc, 1000);
}

#[test]
fn ipv6_endpoints_are_bracketed() {
    let seg = TcpSegment {
        src_port: 1234,
        dst_port: 443,
        flags: SYN,
        seq: 1,
        ..TcpSegment::default()
    };
    let mut t = TcpTracker::new();
    let v6 = |n| IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, n));
    t.push(&SegmentIn {
        number: 1,
        ts: Timestamp::default(),
        src: v6(1),
        dst: v6(2),
        segment: &seg,
        payload: &[],
    });
    let a = finish(t, &[0]);
    assert_eq!(a.connections[0].client.to_string(), "[2001:db8::1]:1234");
    assert_eq!(a.connections[0].server.to_string(), "[2001:db8::2]:443");
}

#[test]
fn absurd_input_never_panics() {
    let mut c = Conv::new();
    let mut x: u32 = 0x9e37_79b9;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        x
    };
    for i in 0..3000 {
        let r = next();
        let ts = if i % 7 == 0 {
            -(i as i64) * 1000
        } else {
            i as i64 * 10
        };
        let flags = (r & 0x0fff) as u16;
        let seq = if r & 1 == 0 {
            u32::MAX - (r % 5)
        } else {
            next()
        };
        c.seg(
            r & 2 == 0,
            ts,
            seq,
            next(),
            flags | (ACK * (r as u16 & 1)),
            (next() & 0xffff) as u16,
            next() % 3000,
        );
        if r % 11 == 0 {
            c.opts(vec![
                TcpOption::WindowScale(255),
                TcpOption::Sack(vec![(next(), next()); 6]),
            ]);
        }
    }
    let a = c.run();
    assert_eq!(a.frames.len(), 3000);
    let _ = serde_json::to_string(&(&a.frames, &a.connections));
}

#[test]
fn info_prefix_order_follows_wireshark() {
    let mut flags = AnalysisFlags::default();
    for f in [
        Flag::Retransmission,
        Flag::ReusedPorts,
        Flag::WindowFull,
        Flag::LostSegment,
    ] {
        flags.set(f);
    }
    assert_eq!(
        flags.info_prefix((0, 0)),
        "[TCP Window Full] [TCP Previous segment not captured] [TCP Retransmission] [TCP Port numbers reused] "
    );
    let json = serde_json::to_string(&flags).unwrap_or_default();
    assert_eq!(
        json,
        r#"["retransmission","lost_segment","window_full","reused_ports"]"#
    );
    let _ = FIN;
}

#[test]
fn connection_json_field_names() {
    let a = demo();
    let json = serde_json::to_value(&a.connections[0]).unwrap_or_default();
    for key in [
        "stream",
        "client",
        "server",
        "packets",
        "bytes",
        "start",
        "duration",
        "completeness",
        "conn_state",
        "history",
        "handshake",
        "close",
    ] {
        assert!(json.get(key).is_some(), "missing {key}: {json}");
    }
    assert_eq!(json["handshake"]["kind"], "three_way");
    assert_eq!(json["close"]["kind"], "three_way");
    assert_eq!(json["close"]["initiator"], "client");
    let frame = serde_json::to_value(&a.frames[1]).unwrap_or_default();
    for key in [
        "stream",
        "seq",
        "ack",
        "next_seq",
        "window_calc",
        "analysis",
        "irtt",
        "acked_frame",
        "ack_rtt",
        "state",
    ] {
        assert!(frame.get(key).is_some(), "missing {key}: {frame}");
    }
}

/// Rough throughput: a 1,000,000-segment bulk transfer with an ACK every other segment
/// (run with --ignored --nocapture; prints, never asserts a time).
#[test]
#[ignore]
fn throughput_bulk_transfer() {
    let segs: Vec<TcpSegment> = (0..1_000_000u32)
        .map(|i| {
            let data = i % 3 != 2;
            TcpSegment {
                src_port: if data { 40000 } else { 80 },
                dst_port: if data { 80 } else { 40000 },
                seq: if data {
                    C_ISN.wrapping_add(1 + (i / 3 * 2 + i % 3) * 1448)
                } else {
                    S_ISN + 1
                },
                ack: if data {
                    S_ISN + 1
                } else {
                    C_ISN.wrapping_add(1 + (i / 3 * 2 + 2) * 1448)
                },
                flags: ACK,
                window: 1000,
                payload_len: if data { 1448 } else { 0 },
                ..TcpSegment::default()
            }
        })
        .collect();
    let start = std::time::Instant::now();
    let mut t = TcpTracker::new();
    let mut times = Vec::new();
    for (i, seg) in segs.iter().enumerate() {
        let (src, dst) = if seg.src_port == 40000 {
            (CLIENT, SERVER)
        } else {
            (SERVER, CLIENT)
        };
        let ts = Timestamp {
            secs: 1000 + i as i64 / 100_000,
            nanos: (i as u32 % 100_000) * 10_000,
        };
        times.push(ts.as_nanos());
        t.push(&SegmentIn {
            number: i as u32 + 1,
            ts,
            src,
            dst,
            segment: seg,
            payload: &[],
        });
    }
    let a = finish(t, &times);
    println!("{} segments in {:?}", a.frames.len(), start.elapsed());
}

/// tshark 4.0 leaves the segment's own SYN or FIN out of its bytes in flight: a FIN carrying
/// the last 100 bytes shows 100 (found by comparing with tshark: tests/analysis.test.mjs).
#[test]
fn bytes_in_flight_leave_out_the_segments_syn_or_fin() {
    let mut c = handshake();
    c.c(1000, C_ISN + 1, S_ISN + 1, ACK, 100)
        .c(1010, C_ISN + 101, S_ISN + 1, ACK | FIN, 100);
    let a = c.run();
    assert_eq!(a.frames[3].bytes_in_flight, Some(100));
    // The first 100 bytes are still unacknowledged: 200 bytes and the FIN, less the FIN.
    assert_eq!(a.frames[4].bytes_in_flight, Some(200));
    // A SYN/ACK with data: its SYN is not counted either.
    let mut d = Conv::new();
    d.c(0, C_ISN, 0, SYN, 10)
        .s(100, S_ISN, C_ISN + 11, SYN | ACK, 20);
    let b = d.run();
    assert_eq!(b.frames[0].bytes_in_flight, Some(10));
    assert_eq!(b.frames[1].bytes_in_flight, Some(20));
}

/// tcp.completeness as tshark 4.0 ends a stream (tests/analysis.test.mjs): a stream seen from
/// its middle counts its first segment's data and FIN; a single segment shows only a SYN bit;
/// a FIN without ACK and data on a SYN/ACK do not count.
#[test]
fn completeness_counts_the_first_segment_like_tshark() {
    // Data then FINs, no handshake: ACK + DATA + FIN.
    let mut c = Conv::new();
    c.c(0, C_ISN, S_ISN, ACK | PSH, 27)
        .s(10, S_ISN, C_ISN + 27, ACK | FIN, 0)
        .c(20, C_ISN + 27, S_ISN + 1, ACK, 0);
    assert_eq!(c.run().connections[0].completeness.value, 28);
    // A FIN+ACK first, then an ACK: ACK + FIN.
    let mut c = Conv::new();
    c.c(0, C_ISN, S_ISN, ACK | FIN, 0)
        .s(10, S_ISN, C_ISN + 1, ACK, 0);
    assert_eq!(c.run().connections[0].completeness.value, 20);
    // A lone SYN: 1; a lone SYN/ACK: 0.
    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0);
    assert_eq!(c.run().connections[0].completeness.value, 1);
    let mut c = Conv::new();
    c.s(0, S_ISN, C_ISN + 1, SYN | ACK, 0);
    assert_eq!(c.run().connections[0].completeness.value, 0);
    // SYN, ACK, FIN without ACK, RST: SYN + ACK + RST (tshark shows 37).
    let mut c = Conv::new();
    c.c(0, C_ISN, 0, SYN, 0)
        .c(10, C_ISN + 1, S_ISN + 1, ACK, 0)
        .c(20, C_ISN + 1, 0, FIN, 0)
        .c(30, C_ISN + 2, 0, RST, 0);
    assert_eq!(c.run().connections[0].completeness.value, 37);
    // A SYN/ACK carrying data: no DATA bit (tshark shows 23).
    let mut c = handshake();
    c.segs[1].len = 110;
    c.c(300, C_ISN + 1, S_ISN + 112, ACK | FIN, 0)
        .s(400, S_ISN + 111, C_ISN + 2, ACK | FIN, 0)
        .c(500, C_ISN + 2, S_ISN + 112, ACK, 0);
    assert_eq!(c.run().connections[0].completeness.value, 23);
}

/// A record keeps the length in 16 bits and the acknowledged segment as a count of its
/// stream's segments back in 8; a jumbogram's length, an ACK of a segment far back and one
/// of a frame not in the stream go to the table beside, and read back the same.
#[test]
fn lengths_and_acked_frames_that_do_not_fit_are_kept_beside() {
    let mut wides = Wides::default();
    // One stream of 400 segments in frames 2, 4, 6, ... (another stream's between them):
    // segment `i` is in frame `2 * i`.
    let acked_of = |i: u32| match i {
        7 => 2,          // the jumbogram acknowledges segment 1
        10 => 18,        // segment 9: one back
        300 | 301 => 90, // segment 45: 255 and 256 back
        302 => 3,        // a frame of the other stream
        303 => 606,      // its own frame: none
        _ => 0,
    };
    let mut acked = Vec::new();
    let mut records: Vec<TcpRecord> = (1..=400u32)
        .map(|i| {
            let mut r = TcpRecord {
                frame: 2 * i,
                bits: TcpRecord::FROM_A | ACK,
                ..TcpRecord::default()
            };
            let len = if i == 7 { 100_000 } else { 1460 };
            wides.set(&mut r, len, acked_of(i));
            acked.push(acked_of(i));
            r
        })
        .collect();
    assert_eq!(wides.0.len(), 1, "the jumbogram's length does not fit");
    wides.settle(&mut records, &acked, &[0, 400]);
    for (i, len, frame) in [
        (1, 1460, None),
        (7, 100_000, Some(2)),
        (10, 1460, Some(18)),
        (300, 1460, Some(90)),
        (301, 1460, Some(90)),
        (302, 1460, Some(3)),
        (303, 1460, None),
    ] {
        let index = i as usize - 1;
        let r = &records[index];
        assert_eq!(
            (wides.len(r), wides.acked_frame(&records, index)),
            (len, frame),
            "segment {i}"
        );
        assert!(r.from_a() && r.flags() == ACK, "the flags are kept apart");
    }
    assert_eq!(
        wides.0.len(),
        4,
        "the jumbogram, the ACKs 256 segments back, of another stream's frame and of its own"
    );
    assert!(wides.0.is_sorted_by_key(|w| w.frame));

    // Through the tracker: a 100,000-byte segment, and the ACK of it.
    let mut c = handshake();
    c.c(300, C_ISN + 1, S_ISN + 1, ACK | PSH, 100_000)
        .s(400, S_ISN + 1, C_ISN + 100_001, ACK, 0);
    let t = c.run();
    assert_eq!(t.frames[3].segment_len, 100_000);
    assert_eq!(t.frames[3].next_seq, 100_001);
    assert_eq!(t.frames[4].acked_frame, Some(4));
    assert_eq!(t.connections[0].bytes.client_to_server, 100_000);
}

/// Records move to their stream's place in one pass, whatever the cycles of the moves.
/// The finished records are grouped by stream, each stream's in capture order; a record's
/// stream is found from its place, and the tracker tells where each record went.
#[test]
fn records_are_grouped_by_stream() {
    let mut tracker = TcpTracker::new();
    let times: Vec<i128> = (1..=9).map(|i| i * 1000).collect();
    // Three connections interleaved: frames 1..=9 belong to streams 0 1 2 0 1 2 0 1 2.
    for number in 1..=9u32 {
        let port = 40000 + ((number - 1) % 3) as u16;
        let segment = TcpSegment {
            src_port: port,
            dst_port: 80,
            seq: 1000 + number,
            flags: ACK,
            window: 100,
            ..TcpSegment::default()
        };
        tracker.push(&SegmentIn {
            number,
            ts: Timestamp::from_nanos_i64(number as i64 * 1000),
            src: CLIENT,
            dst: SERVER,
            segment: &segment,
            payload: &[],
        });
    }
    let (analysis, moved) = tracker.finish();
    assert_eq!(moved, [0, 3, 6, 1, 4, 7, 2, 5, 8]);
    let frames = |s: u32| -> Vec<u32> { analysis.segments(s).iter().map(|r| r.frame).collect() };
    assert_eq!(frames(0), [1, 4, 7]);
    assert_eq!(frames(1), [2, 5, 8]);
    assert_eq!(frames(2), [3, 6, 9]);
    assert!(frames(3).is_empty());
    let streams: Vec<Option<u32>> = (0..10).map(|i| analysis.stream_of(i)).collect();
    let s = Some;
    assert_eq!(
        streams,
        [s(0), s(0), s(0), s(1), s(1), s(1), s(2), s(2), s(2), None]
    );
    let ts_of = |n: u32| times.get(n as usize - 1).copied().unwrap_or(0);
    let facts = analysis.all_facts(&ts_of);
    let by_frame: Vec<u32> = facts.iter().map(|f| f.stream).collect();
    assert_eq!(by_frame, [0, 1, 2, 0, 1, 2, 0, 1, 2]);
}

/// A record keeps both endpoints' states in one byte, and every pair reads back as set.
#[test]
fn both_states_fit_in_a_byte() {
    let all = (0..16).map(State::from_index);
    for client in all.clone() {
        for server in all.clone() {
            let states = EndpointStates { client, server };
            let mut r = TcpRecord::default();
            r.set_state(states);
            assert_eq!(r.state(), states);
        }
    }
    assert_eq!(State::from_index(11), State::TimeWait);
    assert_eq!(State::from_index(12), State::Unknown);
}

#[test]
fn endpoints_are_written_as_displayed() {
    // IPv4, IPv6 and IPv4-mapped addresses, each over several connections.
    let addresses: [IpAddr; 3] = [
        "192.168.0.52".parse().unwrap(),
        "2001:db8::1".parse().unwrap(),
        "::ffff:10.0.0.1".parse().unwrap(),
    ];
    let mut tracker = TcpTracker::new();
    let mut number = 0;
    for &server in &addresses {
        for &client in &addresses {
            for port in [0, 7, 8080, 65535] {
                number += 1;
                let segment = TcpSegment {
                    src_port: port,
                    dst_port: 80,
                    flags: SYN,
                    ..TcpSegment::default()
                };
                tracker.push(&SegmentIn {
                    number,
                    ts: Timestamp::default(),
                    src: client,
                    dst: server,
                    segment: &segment,
                    payload: &[],
                });
            }
        }
    }
    let (tcp, _) = tracker.finish();
    let mut writer = EndpointWriter::new(&tcp);
    assert_eq!(writer.texts.len(), 3);
    for _ in 0..2 {
        for stream in 0..tcp.connection_count() as u32 {
            let c = tcp.connection(stream, &|_| 0).expect("a connection");
            let places = tcp.endpoint_places(stream).expect("its places");
            for (place, endpoint) in places.into_iter().zip([c.client, c.server]) {
                let mut out = String::new();
                writer.write(&mut out, place);
                assert_eq!(out, endpoint.to_string());
            }
        }
    }
}

#[test]
fn a_connection_ends_at_its_latest_time_when_times_go_back() {
    // The close's frames were stamped before the data (a capture merged out of order): the
    // connection lasts from its first frame to its latest time, not to its last frame's; of
    // frames with the latest time, the first is the one kept.
    let mut c = handshake();
    c.c(900, C_ISN + 1, S_ISN + 1, ACK | PSH, 10)
        .s(900, S_ISN + 1, C_ISN + 11, ACK, 0)
        .c(250, C_ISN + 11, S_ISN + 1, FIN | ACK, 0)
        .s(260, S_ISN + 1, C_ISN + 12, FIN | ACK, 0);
    let a = c.run();
    let conn = &a.connections[0];
    assert_eq!(conn.start, 1000.0);
    assert!((conn.duration - 900e-6).abs() < 1e-12, "{}", conn.duration);
    let (analysis, _) = {
        let mut tracker = TcpTracker::new();
        let seg = TcpSegment {
            src_port: 1,
            dst_port: 2,
            flags: SYN,
            ..TcpSegment::default()
        };
        for (number, us) in [(1, 50), (2, 70), (3, 70), (4, 10)] {
            tracker.push(&SegmentIn {
                number,
                ts: Timestamp {
                    secs: 0,
                    nanos: us * 1000,
                },
                src: CLIENT,
                dst: SERVER,
                segment: &seg,
                payload: &[],
            });
        }
        tracker.finish()
    };
    assert_eq!(analysis.conns[0].last_frame, 2);
}
