//! `terraform show -json` plans.

use crate::model::Model;
use crate::source::FileId;

use super::LoadOptions;

pub fn load(_file: FileId, _text: &str, _options: &LoadOptions) -> Model {
    Model::default()
}
