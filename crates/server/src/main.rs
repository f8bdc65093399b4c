fn main() -> std::process::ExitCode {
    pundit_server::cli::main()
}
