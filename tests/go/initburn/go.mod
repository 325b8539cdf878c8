module example.com/initburn

go 1.19
