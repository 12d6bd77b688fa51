/* false: exits with status 1, ignoring its arguments (POSIX). */
int main(void) { return 1; }
