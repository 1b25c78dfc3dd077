//! Vendor names of hardware addresses, as Wireshark shows them ("VMware_c2:89:0b").
//!
//! Promise: [`resolve`] never fails; an address whose vendor is not in the table is shown as
//! Wireshark shows an unknown one, the bare address.
//!
//! Wireshark resolves names from its manuf file (tens of thousands of IEEE assignments); the
//! page cannot carry that much, so this table holds the short names, as Wireshark's manuf file
//! abbreviates the IEEE registry, of the vendors seen in the shared test captures and of the
//! common virtual machine NICs. Other vendors show as bare addresses: a known difference.

/// 24-bit OUI → Wireshark's short vendor name, sorted by OUI for binary search.
const OUIS: &[(u32, &str)] = &[
    (0x000000, "00:00:00"),
    (0x000039, "Toshiba"),
    (0x0001D7, "F5Networ"),
    (0x00023F, "CompalEl"),
    (0x0003B2, "Radware"),
    (0x0003FF, "Microsof"),
    (0x000569, "VMware"),
    (0x000573, "Cisco"),
    (0x00059A, "Cisco"),
    (0x000625, "LinksysG"),
    (0x0006B1, "Sonicwal"),
    (0x000874, "Dell"),
    (0x0008CA, "TwinHanT"),
    (0x000B82, "Grandstr"),
    (0x000BDB, "Dell"),
    (0x000C29, "VMware"),
    (0x000E0C, "Intel"),
    (0x001000, "CableTel"),
    (0x001018, "Broadcom"),
    (0x0010DB, "JuniperN"),
    (0x0010F3, "NexcomIn"),
    (0x001122, "CIMSYS"),
    (0x0011D9, "TiVo"),
    (0x0011DC, "GlunzJen"),
    (0x00127F, "Cisco"),
    (0x001321, "HewlettP"),
    (0x00144F, "Oracle"),
    (0x001517, "IntelCor"),
    (0x00155D, "Microsof"),
    (0x001636, "QuantaCo"),
    (0x00163E, "Xensourc"),
    (0x0016CB, "Apple"),
    (0x0016CF, "HonHaiPr"),
    (0x0017F2, "Apple"),
    (0x001874, "Cisco"),
    (0x001907, "Cisco"),
    (0x0019E3, "Apple"),
    (0x001AE9, "Nintendo"),
    (0x001B21, "IntelCor"),
    (0x001B2F, "Netgear"),
    (0x001C14, "VMware"),
    (0x001C42, "Parallel"),
    (0x001CB0, "Cisco"),
    (0x001D5A, "2Wire"),
    (0x001DFE, "Palm"),
    (0x001EC9, "Dell"),
    (0x001F33, "Netgear"),
    (0x001FF3, "Apple"),
    (0x002170, "Dell"),
    (0x00220A, "OnLive"),
    (0x002233, "ADBBroad"),
    (0x00241D, "Giga-Byt"),
    (0x0024C4, "Cisco"),
    (0x002590, "SuperMic"),
    (0x0026CA, "Cisco"),
    (0x003048, "SuperMic"),
    (0x003096, "Cisco"),
    (0x005056, "VMware"),
    (0x0050B6, "GoodWayI"),
    (0x008077, "Brotheri"),
    (0x00907F, "WatchGua"),
    (0x00B0C2, "Cisco"),
    (0x00D003, "ComdaEnt"),
    (0x00E01C, "CradlePo"),
    (0x010001, "Xerox"),
    (0x010100, "EquipTra"),
    (0x0101ED, "SETA"),
    (0x0101FC, "Keyence"),
    (0x0101FD, "DigitalV"),
    (0x010203, "Woonsang"),
    (0x012345, "Sony"),
    (0x080020, "Oracle"),
    (0x080027, "PcsCompu"),
    (0x088E90, "IntelCor"),
    (0x0CC47A, "SuperMic"),
    (0x147BAC, "Nokia"),
    (0x14B7F8, "VantivaU"),
    (0x1816C9, "SamsungE"),
    (0x18E829, "Ubiquiti"),
    (0x18FD74, "Routerbo"),
    (0x24A43C, "Ubiquiti"),
    (0x34E6D7, "Dell"),
    (0x38F9D3, "Apple"),
    (0x3CFA30, "PaloAlto"),
    (0x405539, "Cisco"),
    (0x409EA4, "JuniperN"),
    (0x40E230, "AzureWav"),
    (0x446AB7, "ARRISGro"),
    (0x48A195, "Apple"),
    (0x48F17F, "IntelCor"),
    (0x525400, "RealtekU"),
    (0x5475D0, "Cisco"),
    (0x54880E, "SamsungE"),
    (0x581FAA, "Apple"),
    (0x586D8F, "Cisco-Li"),
    (0x58B035, "Apple"),
    (0x58EF68, "BelkinIn"),
    (0x5CAC4C, "HonHaiPr"),
    (0x68A3C4, "LiteonTe"),
    (0x74ACB9, "Ubiquiti"),
    (0x84B59C, "JuniperN"),
    (0x8C8590, "Apple"),
    (0x943FC2, "HewlettP"),
    (0x949AA9, "Microsof"),
    (0x9CAED3, "SeikoEps"),
    (0xA8A159, "ASRockIn"),
    (0xAA0004, "DecLocal"),
    (0xAC1F6B, "SuperMic"),
    (0xB0700D, "Nokia"),
    (0xB827EB, "Raspberr"),
    (0xB8BBAF, "SamsungE"),
    (0xB8CEF6, "Mellanox"),
    (0xB8F853, "Arcadyan"),
    (0xBC51FE, "Swanncom"),
    (0xBCD177, "Tp-LinkT"),
    (0xC42C03, "Apple"),
    (0xC4393A, "SMCNetwo"),
    (0xC471FE, "Cisco"),
    (0xC8BCC8, "Apple"),
    (0xC8E0EB, "Apple"),
    (0xCCB255, "D-LinkIn"),
    (0xD0C5F3, "Apple"),
    (0xD4AE52, "Dell"),
    (0xD4AFF7, "AristaNe"),
    (0xD4CA6D, "Routerbo"),
    (0xD83062, "Apple"),
    (0xDCEFCA, "MurataMa"),
    (0xF01898, "Apple"),
    (0xF05C19, "HewlettP"),
    (0xF0B014, "AVMAudio"),
    (0xF81EDF, "Apple"),
    (0xF8BC0E, "eero"),
];

/// Well-known addresses and blocks (Wireshark's wka file): address, how many leading bits
/// are fixed, name.
const WELL_KNOWN: &[([u8; 6], u32, &str)] = &[
    ([0x00, 0x00, 0x0c, 0x07, 0xac, 0x00], 40, "All-HSRP-routers"),
    (
        [0x01, 0x00, 0x0c, 0xcc, 0xcc, 0xcc],
        48,
        "CDP/VTP/DTP/PAgP/UDLD",
    ),
    ([0x01, 0x00, 0x5e, 0x00, 0x00, 0x00], 25, "IPv4mcast"),
    (
        [0x01, 0x80, 0xc2, 0x00, 0x00, 0x00],
        44,
        "Spanning-tree-(for-bridges)",
    ),
    ([0x01, 0x80, 0xc2, 0x00, 0x00, 0x02], 48, "Slow-Protocols"),
    ([0x01, 0x80, 0xc2, 0x00, 0x00, 0x0e], 48, "LLDP_Multicast"),
    (
        [0x01, 0x80, 0xc2, 0x00, 0x00, 0x14],
        48,
        "ISIS-all-level-1-IS's",
    ),
    (
        [0x01, 0x80, 0xc2, 0x00, 0x00, 0x15],
        48,
        "ISIS-all-level-2-IS's",
    ),
    (
        [0x02, 0x01, 0x00, 0x00, 0x00, 0x00],
        16,
        "MS-NLB-PhysServer-01",
    ),
    (
        [0x02, 0x10, 0x00, 0x00, 0x00, 0x00],
        16,
        "MS-NLB-PhysServer-16",
    ),
    ([0x33, 0x33, 0x00, 0x00, 0x00, 0x00], 16, "IPv6mcast"),
    ([0xff, 0xff, 0xff, 0xff, 0xff, 0xff], 48, "Broadcast"),
];

/// Wireshark's name for a 6-byte hardware address ("Broadcast", "VMware_c2:89:0b",
/// "IPv4mcast_01"), or None when it would show the bare address.
pub fn resolve(mac: &[u8; 6]) -> Option<String> {
    let value = mac.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
    for (address, bits, name) in WELL_KNOWN {
        let fixed = address.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        let mask = (!0u64 << (48 - bits)) & 0xffff_ffff_ffff;
        if value & mask != fixed & mask {
            continue;
        }
        if *bits == 48 {
            return Some((*name).to_string());
        }
        // The name, then the address bytes after the fixed ones, leading zero bytes dropped
        // ("IPv4mcast_01", "IPv6mcast_ff:00:00:01", "All-HSRP-routers_00").
        let tail = mac.get((*bits / 8) as usize..).unwrap_or_default();
        let first = tail
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(tail.len().saturating_sub(1));
        return Some(format!(
            "{name}_{}",
            crate::decode::format_mac(tail.get(first..).unwrap_or_default())
        ));
    }
    let oui = u32::from_be_bytes([0, mac[0], mac[1], mac[2]]);
    let index = OUIS.binary_search_by_key(&oui, |(o, _)| *o).ok()?;
    let (_, vendor) = OUIS.get(index)?;
    Some(format!("{vendor}_{}", crate::decode::format_mac(&mac[3..])))
}

/// "VMware_c2:89:0b (00:0c:29:c2:89:0b)", or the address twice when its vendor is unknown,
/// as Wireshark labels a hardware address field.
pub fn labelled(mac: &[u8; 6]) -> String {
    let bare = crate::decode::format_mac(mac);
    match resolve(mac) {
        Some(name) => format!("{name} ({bare})"),
        None => format!("{bare} ({bare})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_as_wireshark_shows_them() {
        assert!(OUIS.windows(2).all(|w| w[0].0 < w[1].0), "sorted");
        assert_eq!(
            labelled(&[0x00, 0x0c, 0x29, 0xc2, 0x89, 0x0b]),
            "VMware_c2:89:0b (00:0c:29:c2:89:0b)"
        );
        assert_eq!(labelled(&[0xff; 6]), "Broadcast (ff:ff:ff:ff:ff:ff)");
        assert_eq!(
            labelled(&[0x16, 0x51, 0x53, 0x04, 0x3f, 0x55]),
            "16:51:53:04:3f:55 (16:51:53:04:3f:55)"
        );
        assert_eq!(
            resolve(&[0x01, 0x00, 0x5e, 0, 0, 1]).as_deref(),
            Some("IPv4mcast_01")
        );
        assert_eq!(
            resolve(&[0x33, 0x33, 0xff, 0, 0, 1]).as_deref(),
            Some("IPv6mcast_ff:00:00:01")
        );
        assert_eq!(
            resolve(&[0x00, 0x00, 0x00, 0, 0, 0]).as_deref(),
            Some("00:00:00_00:00:00")
        );
        assert_eq!(
            resolve(&[0x02, 0x01, 0x00, 0x01, 0, 0]).as_deref(),
            Some("MS-NLB-PhysServer-01_01:00:00")
        );
        assert_eq!(
            resolve(&[0x00, 0x00, 0x0c, 0x07, 0xac, 0x00]).as_deref(),
            Some("All-HSRP-routers_00")
        );
        assert_eq!(
            resolve(&[0x01, 0x80, 0xc2, 0, 0, 0]).as_deref(),
            Some("Spanning-tree-(for-bridges)_00")
        );
    }
}
