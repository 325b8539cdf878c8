module example.com/perfgo/falsesharing

go 1.19
