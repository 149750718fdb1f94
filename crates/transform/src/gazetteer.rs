//! placeholder: the gazetteer helper fills this
