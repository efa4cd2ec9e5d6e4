.class Lcom/example/app/MainActivity$Inner;
.super Ljava/lang/Object;
.source "MainActivity.java"

# interfaces
.implements Ljava/lang/Runnable;

# instance fields
.field final synthetic this$0:Lcom/example/app/MainActivity;

# direct methods
.method constructor <init>(Lcom/example/app/MainActivity;)V
    .registers 2
    iput-object p1, p0, Lcom/example/app/MainActivity$Inner;->this$0:Lcom/example/app/MainActivity;
    invoke-direct {p0}, Ljava/lang/Object;-><init>()V
    return-void
.end method

# virtual methods
.method public run()V
    .registers 4
    iget-object v0, p0, Lcom/example/app/MainActivity$Inner;->this$0:Lcom/example/app/MainActivity;
    const/16 v1, 0x2a
    invoke-interface {v0, v1}, Lcom/example/util/Callback;->onResult(I)V
    const-string v1, "emoji \ud83d\ude00 end"
    invoke-static {v1}, Lcom/tracker/sdk/Tracker;->track(Ljava/lang/String;)V
    return-void
.end method
