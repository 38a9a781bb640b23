using StreamMatte.Cli;

return CommandLine.Invoke(args);
