fn main() -> std::process::ExitCode {
    // A bug must not greet anyone with a backtrace: say it is one, and exit
    // 2 (pm could not run). The fuzzer and tests check it never happens.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("pm: internal error: {info}");
        eprintln!(
            "pm: this is a bug in pm; please report it, with the file that caused it if you can"
        );
        std::process::exit(2);
    }));
    pm::run(std::env::args_os())
}
