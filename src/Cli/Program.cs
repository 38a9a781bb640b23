using StreamMatte.Cli;

return CommandLine.Build().Parse(args).Invoke();
