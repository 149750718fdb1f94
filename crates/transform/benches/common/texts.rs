//! The real Vietnamese texts the benches and the whole-document grammar tests read: the Lào Cai
//! interview and the twelve development-corpus excerpts, copied into `benches/data/` (see its
//! README for where they came from). Included with `#[path]` by each user.

/// The texts, in a fixed order.
#[allow(dead_code)] // each including target uses it its own way
pub const DOCS: &[&str] = &[
    include_str!("../data/lao-cai-interview.txt"),
    include_str!("../data/01-quangngai-tong-ket-2021.txt"),
    include_str!("../data/05-nghean-thu-ngan-sach-2020.txt"),
    include_str!("../data/07-bariavungtau-xuat-khau-7-thang-2022.txt"),
    include_str!("../data/10-lamdong-xuat-khau-thang-10-2022.txt"),
    include_str!("../data/13-yenbai-cucthongke-tctk-quy-i-2023.txt"),
    include_str!("../data/18-baogialai-ktxh-6-thang-2024.txt"),
    include_str!("../data/22-bariavungtau-du-lich-11-thang-2022.txt"),
    include_str!("../data/28-baocamau-giam-ngheo-2023.txt"),
    include_str!("../data/32-saigondautu-angiang-nghi-quyet-2020-2025.txt"),
    include_str!("../data/34-baoapbac-tiengiang-nghi-quyet-dai-hoi-xi.txt"),
    include_str!("../data/37-homehere-top-20-grdp-2021.txt"),
    include_str!("../data/44-soha-bacninh-grdp-theo-quy-2022.txt"),
];
