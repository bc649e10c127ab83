fn main() -> std::process::ExitCode {
    pm::run(std::env::args_os())
}
