//! Runs `repl_lint::iam::simulate::simulate` on a file (or `-` for stdin) and prints the result.
//! Used by `scripts/iam-differential.sh`; the CLI's `repl-lint simulate` calls the same function.

use std::io::Read;

fn main() -> std::process::ExitCode {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "-".to_string());
    let input = if arg == "-" {
        let mut s = String::new();
        std::io::stdin().read_to_string(&mut s).map(|_| s)
    } else {
        std::fs::read_to_string(&arg)
    };
    let input = match input {
        Ok(s) => s,
        Err(e) => {
            eprintln!("cannot read {arg}: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    match repl_lint::iam::simulate::simulate(&input) {
        Ok(out) => {
            use std::io::Write;
            // A closed pipe (`| head`) is not an error worth a panic.
            let _ = writeln!(std::io::stdout().lock(), "{out}");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::from(1)
        }
    }
}
