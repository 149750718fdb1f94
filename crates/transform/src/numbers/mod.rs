//! placeholder: the grammar helper fills this
