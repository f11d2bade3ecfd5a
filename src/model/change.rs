//! What a Terraform plan does to a resource (`resource_changes[].change.actions`).

/// The plan's action on one resource. Only plans have these; sources and templates describe the
/// desired state, not a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChangeActions {
    NoOp,
    Create,
    Read,
    Update,
    Delete,
    /// Delete then create, or create then delete (`create_before_destroy`).
    Replace,
}

impl ChangeActions {
    /// From the plan's action list (`["update"]`, `["delete", "create"]`, ...); `None` for a list
    /// Terraform does not write.
    pub fn from_plan<S: AsRef<str>>(actions: &[S]) -> Option<ChangeActions> {
        let names: Vec<&str> = actions.iter().map(AsRef::as_ref).collect();
        match names.as_slice() {
            ["no-op"] => Some(ChangeActions::NoOp),
            ["create"] => Some(ChangeActions::Create),
            ["read"] => Some(ChangeActions::Read),
            ["update"] => Some(ChangeActions::Update),
            ["delete"] | ["forget"] => Some(ChangeActions::Delete),
            ["delete", "create"] | ["create", "delete"] => Some(ChangeActions::Replace),
            _ => None,
        }
    }

    /// Whether the resource existed before the plan and still exists after it.
    pub fn keeps_resource(self) -> bool {
        matches!(self, ChangeActions::NoOp | ChangeActions::Update)
    }
}

#[cfg(test)]
mod tests {
    use super::ChangeActions;

    #[test]
    fn reads_plan_action_lists() {
        assert_eq!(
            ChangeActions::from_plan(&["delete", "create"]),
            Some(ChangeActions::Replace)
        );
        assert_eq!(
            ChangeActions::from_plan(&["update"]),
            Some(ChangeActions::Update)
        );
        assert_eq!(ChangeActions::from_plan::<&str>(&[]), None);
    }
}
